//! Text normalisation shared by the checker, the sheet reader and the evaluator.

/// Fold full-width ASCII forms (`０`–`９`, `Ａ`, `（`, `％`…) and the ideographic space to their
/// ordinary forms.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The form of a category or indicator label used for matching: full-width folded, white space
/// removed, and a trailing points note such as `(50分)` dropped.
pub fn normalize_label(s: &str) -> String {
    normalized_label(s).into_owned()
}

/// [`normalize_label`], borrowing the label when it is already in matching form (most are), for
/// a comparison that keeps nothing.
pub(crate) fn normalized_label(s: &str) -> std::borrow::Cow<'_, str> {
    // Most labels have nothing to fold, remove or drop: they are used as they are. (Chinese
    // ideographs, most of a label, are none of these: they are passed over first.)
    let changes = |c: char| {
        !('\u{4E00}'..='\u{9FFF}').contains(&c)
            && (c.is_whitespace() || c == '(' || ('\u{FF01}'..='\u{FF5E}').contains(&c))
    };
    if !s.chars().any(changes) {
        return std::borrow::Cow::Borrowed(s);
    }
    let folded: String = fold_width(s).chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = folded.as_str();
    if let Some(open) = out.rfind('(') {
        let tail = &out[open..];
        let inner = tail.trim_start_matches('(').trim_end_matches(')');
        let points_note = tail.ends_with(')')
            && inner.ends_with('分')
            && inner.trim_end_matches('分').chars().all(|c| c.is_ascii_digit() || c == '.');
        if points_note && open > 0 {
            out = &out[..open];
        }
    }
    std::borrow::Cow::Owned(out.to_string())
}

/// `a == b`, for the short labels, units and cell texts the scoring path compares, without a
/// call to `memcmp`: up to 32 bytes, the first and last words of each are compared (they
/// overlap for lengths between word sizes).
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    };
    let half = |s: &[u8], at: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_ne_bytes(w)
    };
    match n {
        0..4 => a.iter().zip(b).all(|(x, y)| x == y),
        4..8 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        17..=32 => {
            word(a, 0) == word(b, 0)
                && word(a, 8) == word(b, 8)
                && word(a, n - 16) == word(b, n - 16)
                && word(a, n - 8) == word(b, n - 8)
        }
        _ => a == b,
    }
}

/// `text` held in `buffer`'s memory: no allocation when it has room.
pub(crate) fn refill(mut buffer: String, text: &str) -> String {
    buffer.clear();
    buffer.push_str(text);
    buffer
}

/// The words of `text` joined by single spaces, held in `buffer`'s memory.
pub(crate) fn single_spaced(mut buffer: String, text: &str) -> String {
    buffer.clear();
    for word in text.split_whitespace() {
        if !buffer.is_empty() {
            buffer.push(' ');
        }
        buffer.push_str(word);
    }
    buffer
}

/// The points printed at the end of a label: `数量指标(20分)` → 20 (not a label that is only
/// `(50分)`).
pub fn points_in_label(label: &str) -> Option<rust_decimal::Decimal> {
    // Folded, the label ends in `)` only if it ends in `)` or `）` before any white space.
    if !label.trim_end().ends_with([')', '）']) {
        return None;
    }
    let folded: String = fold_width(label).chars().filter(|c| !c.is_whitespace()).collect();
    let t = folded.strip_suffix(')')?;
    let open = t.rfind('(')?;
    let inner = t.get(open + 1..)?.strip_suffix('分')?;
    let d = rust_decimal::Decimal::from_str_exact(inner).ok()?;
    (open > 0 && d > rust_decimal::Decimal::ZERO && d <= rust_decimal::Decimal::ONE_HUNDRED).then_some(d)
}

/// Traditional characters seen in tables copied from mirror sites, with their simplified forms,
/// sorted by the traditional character.
const TRADITIONAL: &[(char, char)] = &[
    ('來', '来'),
    ('係', '系'),
    ('倉', '仓'),
    ('個', '个'),
    ('們', '们'),
    ('備', '备'),
    ('傳', '传'),
    ('債', '债'),
    ('傷', '伤'),
    ('價', '价'),
    ('億', '亿'),
    ('優', '优'),
    ('儲', '储'),
    ('兒', '儿'),
    ('內', '内'),
    ('兩', '两'),
    ('凍', '冻'),
    ('別', '别'),
    ('則', '则'),
    ('劃', '划'),
    ('効', '效'),
    ('動', '动'),
    ('務', '务'),
    ('勞', '劳'),
    ('勵', '励'),
    ('區', '区'),
    ('協', '协'),
    ('參', '参'),
    ('員', '员'),
    ('問', '问'),
    ('啟', '启'),
    ('單', '单'),
    ('嚴', '严'),
    ('圍', '围'),
    ('園', '园'),
    ('圖', '图'),
    ('執', '执'),
    ('報', '报'),
    ('場', '场'),
    ('壓', '压'),
    ('學', '学'),
    ('實', '实'),
    ('寧', '宁'),
    ('審', '审'),
    ('將', '将'),
    ('專', '专'),
    ('對', '对'),
    ('導', '导'),
    ('屆', '届'),
    ('層', '层'),
    ('屬', '属'),
    ('帶', '带'),
    ('幣', '币'),
    ('幫', '帮'),
    ('庫', '库'),
    ('廁', '厕'),
    ('廚', '厨'),
    ('廠', '厂'),
    ('廢', '废'),
    ('廣', '广'),
    ('廳', '厅'),
    ('張', '张'),
    ('後', '后'),
    ('從', '从'),
    ('復', '复'),
    ('徵', '征'),
    ('態', '态'),
    ('慮', '虑'),
    ('應', '应'),
    ('戰', '战'),
    ('戶', '户'),
    ('採', '采'),
    ('換', '换'),
    ('損', '损'),
    ('撥', '拨'),
    ('擔', '担'),
    ('據', '据'),
    ('擬', '拟'),
    ('擴', '扩'),
    ('數', '数'),
    ('於', '于'),
    ('時', '时'),
    ('書', '书'),
    ('會', '会'),
    ('東', '东'),
    ('條', '条'),
    ('業', '业'),
    ('極', '极'),
    ('構', '构'),
    ('樑', '梁'),
    ('標', '标'),
    ('樹', '树'),
    ('橋', '桥'),
    ('檔', '档'),
    ('檢', '检'),
    ('權', '权'),
    ('歲', '岁'),
    ('歷', '历'),
    ('殘', '残'),
    ('氣', '气'),
    ('汙', '污'),
    ('決', '决'),
    ('況', '况'),
    ('淨', '净'),
    ('測', '测'),
    ('準', '准'),
    ('滿', '满'),
    ('漁', '渔'),
    ('濟', '济'),
    ('灣', '湾'),
    ('災', '灾'),
    ('為', '为'),
    ('無', '无'),
    ('熱', '热'),
    ('營', '营'),
    ('爭', '争'),
    ('狀', '状'),
    ('獎', '奖'),
    ('獲', '获'),
    ('獸', '兽'),
    ('現', '现'),
    ('環', '环'),
    ('瓊', '琼'),
    ('產', '产'),
    ('療', '疗'),
    ('發', '发'),
    ('盡', '尽'),
    ('監', '监'),
    ('眾', '众'),
    ('確', '确'),
    ('稅', '税'),
    ('稱', '称'),
    ('積', '积'),
    ('穩', '稳'),
    ('節', '节'),
    ('範', '范'),
    ('築', '筑'),
    ('粵', '粤'),
    ('糧', '粮'),
    ('紀', '纪'),
    ('約', '约'),
    ('納', '纳'),
    ('純', '纯'),
    ('級', '级'),
    ('組', '组'),
    ('結', '结'),
    ('絡', '络'),
    ('統', '统'),
    ('經', '经'),
    ('綜', '综'),
    ('綠', '绿'),
    ('維', '维'),
    ('網', '网'),
    ('線', '线'),
    ('編', '编'),
    ('練', '练'),
    ('縣', '县'),
    ('總', '总'),
    ('績', '绩'),
    ('織', '织'),
    ('續', '续'),
    ('纜', '缆'),
    ('義', '义'),
    ('習', '习'),
    ('聯', '联'),
    ('職', '职'),
    ('聽', '听'),
    ('臺', '台'),
    ('與', '与'),
    ('舉', '举'),
    ('萬', '万'),
    ('蓋', '盖'),
    ('藥', '药'),
    ('蘇', '苏'),
    ('蘭', '兰'),
    ('處', '处'),
    ('號', '号'),
    ('虧', '亏'),
    ('衆', '众'),
    ('術', '术'),
    ('衛', '卫'),
    ('補', '补'),
    ('裝', '装'),
    ('規', '规'),
    ('視', '视'),
    ('覺', '觉'),
    ('觀', '观'),
    ('計', '计'),
    ('訊', '讯'),
    ('訓', '训'),
    ('設', '设'),
    ('診', '诊'),
    ('話', '话'),
    ('認', '认'),
    ('調', '调'),
    ('請', '请'),
    ('證', '证'),
    ('識', '识'),
    ('議', '议'),
    ('護', '护'),
    ('財', '财'),
    ('貧', '贫'),
    ('責', '责'),
    ('貴', '贵'),
    ('買', '买'),
    ('貸', '贷'),
    ('費', '费'),
    ('貼', '贴'),
    ('資', '资'),
    ('質', '质'),
    ('賬', '账'),
    ('購', '购'),
    ('贛', '赣'),
    ('車', '车'),
    ('較', '较'),
    ('輛', '辆'),
    ('輸', '输'),
    ('轉', '转'),
    ('辦', '办'),
    ('農', '农'),
    ('這', '这'),
    ('連', '连'),
    ('週', '周'),
    ('進', '进'),
    ('遊', '游'),
    ('運', '运'),
    ('過', '过'),
    ('達', '达'),
    ('違', '违'),
    ('遠', '远'),
    ('適', '适'),
    ('選', '选'),
    ('遼', '辽'),
    ('邁', '迈'),
    ('還', '还'),
    ('邊', '边'),
    ('鄉', '乡'),
    ('醫', '医'),
    ('銀', '银'),
    ('錄', '录'),
    ('錢', '钱'),
    ('鎮', '镇'),
    ('鐵', '铁'),
    ('長', '长'),
    ('門', '门'),
    ('開', '开'),
    ('間', '间'),
    ('關', '关'),
    ('陝', '陕'),
    ('陽', '阳'),
    ('隊', '队'),
    ('階', '阶'),
    ('際', '际'),
    ('險', '险'),
    ('隱', '隐'),
    ('隴', '陇'),
    ('雜', '杂'),
    ('難', '难'),
    ('雲', '云'),
    ('電', '电'),
    ('響', '响'),
    ('項', '项'),
    ('預', '预'),
    ('頭', '头'),
    ('題', '题'),
    ('額', '额'),
    ('類', '类'),
    ('顯', '显'),
    ('飛', '飞'),
    ('飲', '饮'),
    ('養', '养'),
    ('館', '馆'),
    ('驗', '验'),
    ('體', '体'),
    ('魯', '鲁'),
    ('鹽', '盐'),
    ('點', '点'),
    ('齊', '齐'),
    ('齡', '龄'),
    ('龍', '龙'),
];

/// The text with the traditional characters jixiao knows replaced by their simplified forms
/// (`產出` → `产出`, `萬元` → `万元`).
pub fn to_simplified(s: &str) -> String {
    s.chars()
        .map(|c| match TRADITIONAL.binary_search_by_key(&c, |&(t, _)| t) {
            Ok(i) => TRADITIONAL.get(i).map_or(c, |&(_, simple)| simple),
            Err(_) => c,
        })
        .collect()
}

/// Looser forms of a normalised category label, tried (in order) when the label itself matches
/// nothing: simplified characters, a trailing `等` dropped (`服务对象满意度指标等`), a leading
/// `项目` dropped (`项目产出`), and `指标` added to a bare category (`产出` → `产出指标`).
pub fn label_variants(key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |s: String, out: &mut Vec<String>| {
        if !s.is_empty() && s != key && !out.contains(&s) {
            out.push(s);
        }
    };
    let simple = normalize_label(&to_simplified(key));
    push(simple.clone(), &mut out);
    let mut base = simple.as_str();
    if let Some(b) = base.strip_suffix('等') {
        base = b;
    }
    push(base.to_string(), &mut out);
    let unprefixed = base.strip_prefix("项目").filter(|b| !b.is_empty()).unwrap_or(base);
    push(unprefixed.to_string(), &mut out);
    if !unprefixed.ends_with("指标") {
        push(format!("{unprefixed}指标"), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_single_spaced_in_the_buffer_given() {
        let buffer = String::with_capacity(64);
        let at = buffer.as_ptr();
        let out = single_spaced(buffer, "  明显\u{3000}提升 \n\t 有效  ");
        assert_eq!(out, "明显 提升 有效");
        assert_eq!(out.as_ptr(), at);
        assert_eq!(single_spaced(out, " \n "), "");
        assert_eq!(refill(String::from("旧的文字"), "新"), "新");
    }

    #[test]
    fn short_texts_compare_as_strings_do() {
        // Every length up to 40 bytes, equal and differing at each byte in turn.
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=40 {
            let a = String::from_utf8(base[..n].to_vec()).unwrap();
            assert!(same(&a, &a.clone()), "{n} bytes");
            for at in 0..n {
                let mut other = base[..n].to_vec();
                other[at] = b'#';
                let b = String::from_utf8(other).unwrap();
                assert!(!same(&a, &b), "{n} bytes, differing at {at}");
            }
            assert!(!same(&a, &base_plus_one(&a)), "{n} bytes against {}", n + 1);
        }
        assert!(same("产出指标", "产出指标"));
        assert!(!same("人", "名"));
        assert!(!same("服务对象满意度指标", "服务对象满意度指林"));
    }

    fn base_plus_one(a: &str) -> String {
        format!("{a}x")
    }

    #[test]
    fn labels_compare_without_layout_noise() {
        assert_eq!(normalize_label("产出指标\n\n(50分)"), "产出指标");
        assert_eq!(normalize_label("效益指标\n\n（30分）\n"), "效益指标");
        assert_eq!(normalize_label("经济效\n益指标"), "经济效益指标");
        assert_eq!(normalize_label("验收合格（%）"), "验收合格(%)");
    }

    /// A label already in matching form is borrowed; one with any character to fold or remove
    /// is not.
    #[test]
    fn normal_labels_are_borrowed() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.is_whitespace() || c == '(' || ('\u{FF01}'..='\u{FF5E}').contains(&c) {
                let label = format!("指标{c}名");
                assert!(matches!(normalized_label(&label), std::borrow::Cow::Owned(_)), "{c:?}");
            }
        }
        assert!(matches!(normalized_label("产出指标"), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(normalized_label("验收合格率%"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn traditional_characters_simplify() {
        assert_eq!(to_simplified("產出指標 259.45萬元"), "产出指标 259.45万元");
        assert_eq!(to_simplified("群眾滿意度 綠化養護 糧食儲備庫"), "群众满意度 绿化养护 粮食储备库");
        assert!(TRADITIONAL.windows(2).all(|w| w[0].0 < w[1].0), "the table must stay sorted");
    }

    #[test]
    fn label_variants_loosen_step_by_step() {
        assert_eq!(label_variants("服务对象满意度指标等"), vec!["服务对象满意度指标"]);
        assert_eq!(label_variants("项目产出"), vec!["产出", "产出指标"]);
        assert_eq!(label_variants("產出指標"), vec!["产出指标"]);
    }

    #[test]
    fn full_width_folds() {
        assert_eq!(fold_width("≥５０％（个）"), "≥50%(个)");
    }
}
