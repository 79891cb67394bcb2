//! Every text the web app shows, in Chinese and English, in one catalogue: each key of
//! [`T`] is a [`Text`] (the two-language type `shared` declares its own labels with), and
//! pages name keys rather than spell words.
//!
//! Chinese is the first language; the switch in the header picks English, and the choice is
//! kept in the browser (`localStorage`). Texts with figures in them are functions below the
//! table, so that word order can differ between the languages. Names from the data (schools,
//! stations) and the labels of shared types (`SessionFormat::label`, field messages) come
//! from `shared`, which has its own two-language texts.

use humiao_shared::{Lang, Text};
use leptos::prelude::*;

const STORAGE_KEY: &str = "humiao.lang";

/// The language chosen for this browser, provided to every page.
#[derive(Clone, Copy)]
pub struct Language(pub RwSignal<Lang>);

impl Language {
    /// The stored choice, else Chinese.
    pub fn from_storage() -> Language {
        let stored = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|v| serde_json::from_value(serde_json::Value::String(v)).ok())
            .unwrap_or_default();
        let language = Language(RwSignal::new(stored));
        apply(stored);
        language
    }

    pub fn set(self, lang: Lang) {
        if let Some(s) = storage() {
            let code = match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            };
            let _ = s.set_item(STORAGE_KEY, code);
        }
        apply(lang);
        self.0.set(lang);
    }
}

/// Tells the API calls and the page itself which language is in use.
fn apply(lang: Lang) {
    crate::api::set_language(lang);
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute(
            "lang",
            match lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
        );
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The language in use (tracked: a view that reads it redraws on a switch).
pub fn lang() -> Lang {
    use_context::<Language>().map_or(Lang::Zh, |l| l.0.get())
}

/// A two-language text declared in `shared` (a figure's label or definition), redrawn when
/// the language changes.
pub fn text(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let language = use_context::<Language>();
    move || text.get(language.map_or(Lang::Zh, |l| l.0.get()))
}

/// The text of `key`, redrawn when the language changes.
pub fn tr(key: T) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let language = use_context::<Language>();
    move || key.get(language.map_or(Lang::Zh, |l| l.0.get()))
}

macro_rules! catalogue {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A text of the app.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key,)* }

        impl T {
            /// The text in both languages.
            pub const fn text(self) -> Text {
                match self {
                    $(T::$key => Text::new($zh, $en),)*
                }
            }

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                self.text().get(lang)
            }
        }
    };
}

catalogue! {
    // The shell
    Brand => "护苗 · 警心护苗", "Humiao · Police care for youth";
    MainNav => "主导航", "Main navigation";
    NavLog => "记录宣讲", "Log a session";
    NavSessions => "本所记录", "Station sessions";
    NavDashboard => "领导看板", "Dashboard";
    NavAdmin => "管理", "Admin";
    NavScreenings => "观看确认", "Film screenings";
    SignOut => "退出", "Sign out";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "Switch to English", "切换到中文";
    Loading => "正在加载…", "Loading…";
    NotFound => "页面不存在。", "This page does not exist.";
    DemoBanner => "演示数据：机构名称与数字为按真实规模生成的示例，并非实际工作记录。",
        "Demo data: names and figures are generated at real scale, not actual records.";
    SessionEnded => "登录已超时或已在别处退出，请重新登录。",
        "Your session timed out or was ended elsewhere; please sign in again.";
    RoleAdmin => "管理员", "administrator";
    RoleLeader => "领导", "leader";
    RoleOfficer => "宣讲员", "officer";
    RoleSchool => "学校", "school";
    RoleVolunteer => "志愿者", "volunteer";
    NavMyCases => "我的帮教对象", "My cases";
    NavCases => "帮教对象", "Cases";
    NewCase => "新建帮教对象（编号由系统发放）", "Open a case (the server issues its code)";
    OpenCases => "在帮对象（逾期在前）", "Open cases (overdue first)";
    NoOpenCases => "暂无在帮对象。", "No open case.";
    OpenCasePage => "查看", "Open";
    OpenCaseButton => "建档", "Open the case";
    BirthYear => "出生年份", "Birth year";
    Sex => "性别", "Sex";
    CaseCategory => "帮教类别", "Category";
    RiskGrade => "风险等级", "Risk grade";
    OpenedOn => "立案日期", "Opened on";
    ClosedOn => "结案日期", "Closed on";
    ClosingReason => "结案原因", "Reason for closing";
    SchoolOptional => "学校（可不填）", "School (optional)";
    BackToCases => "← 帮教对象", "← Cases";
    GradeHistory => "风险等级变化", "Grade history";
    CaseTeam => "帮教小组", "Team";
    CaseContacts => "帮教记录", "Contacts";
    CaseEvents => "事件（再犯、复学）", "Events (re-offence, back in school)";
    CloseCase => "结案", "Close the case";
    PairVolunteer => "结对志愿者", "Volunteer to pair";
    FromOn => "起始日期", "From";
    Pair => "结对", "Pair";
    TeamOfficer => "民警", "officer";
    NavCalls => "警情与关爱", "Calls and care";
    ImportRegisters => "从表格导入帮教对象或志愿者", "Import cases or volunteers from a spreadsheet";
    RunawayCalls => "出走失联警情（逾期未回访在前）", "Runaway and missing-youth calls (overdue first)";
    NightCare => "夜间游荡关爱", "Night-wandering care";
    FoundAt => "找到/返回", "Found or back";
    FoundAtOptional => "找到/返回时间（可不填）", "Found or back at (optional)";
    FollowUps => "回访", "Follow-ups";
    FollowUpToday => "记录今日回访", "Followed up today";
    CalledAt => "报警时间", "Call received at";
    LogCall => "登记警情", "Log the call";
    NightOf => "日期（当晚）", "Night of";
    MinorsCared => "关爱未成年人数", "Minors cared for";
    LogNight => "登记", "Log the night";
    EventKindLabel => "事件", "Event";
    RecordEvent => "记录事件", "Record the event";
    NoCases => "暂无结对的帮教对象。", "No case is paired with you.";
    CaseOverdue => "已逾期", "Overdue";
    CaseLastContact => "最近联系", "Last contact";
    ContactKindPick => "帮教方式", "Kind of contact";
    ContactDay => "日期", "Date";
    ContactNextDue => "下次联系日期", "Next contact due";
    ContactNote => "备注（可不填）", "Note (optional)";
    ContactNoteHint => "不写姓名、电话、身份证号", "No name, phone or ID number";
    ContactSent => "帮教记录已发送。", "The contact was sent.";
    ContactQueued => "没有网络：帮教记录已保存在手机上，联网后自动发送。",
        "No network: the contact is kept on this phone and sent when the network returns.";
    ContactsSentFromOutbox => "手机上保存的帮教记录已发送。", "The contacts kept on this phone were sent.";
    ContactsRefusedHead => "以下帮教记录未被接受：", "These contacts were refused:";
    ReadRefused => "知道了", "Dismiss";
    NotKeptOffline => "没有网络，且浏览器无法保存这条记录，请联网后再保存。",
        "No network, and the browser cannot keep this contact: save it once online.";
    NotOnTeamToday => "您今天不在该对象的帮教小组中，不能记录。",
        "You are not on this case's team today and cannot log a contact.";
    NetworkDown => "无法连接服务器，请检查网络后重试。", "Cannot reach the server; check the network and try again.";
    ServerError => "服务器返回错误", "The server answered with an error";

    // The sign-off (月报) and 待办
    NavReturns => "月报", "Returns";
    NavTodo => "待办", "To-do";
    TodoCountLabel => "待办事项数", "Items to do";
    ReturnsPageTitle => "月报", "Monthly returns";
    ReturnsYear => "年度", "Year";
    ReturnsState => "状态", "State";
    AllStates => "全部", "All";
    NoReturns => "没有符合条件的月报。", "No return matches.";
    ReturnDeadline => "截止", "Due";
    ReturnLate => "逾期", "Late";
    ReturnDetails => "详情", "Details";
    ReturnHideDetails => "收起", "Hide";
    ReturnWarnings => "请先核对", "Check first";
    ReturnNoWarnings => "未发现需要核对的情况。", "Nothing to check first.";
    ReturnHistory => "审核记录", "History";
    ReturnNoHistory => "尚无审核记录。", "Not moved yet.";
    ReturnReason => "原因", "Reason";
    ReturnReasonHint => "退回或重新打开须写明原因（必填，最多 200 字），上报单位会在待办中看到。",
        "Sending back or reopening needs a reason (required, at most 200 characters); the station sees it in its to-do.";
    ReturnStale => "此月报已被他人修改，已重新加载，请查看后再操作。",
        "Someone changed this return meanwhile; it has been reloaded. Review it and try again.";
    ReturnSentBack => "退回原因", "Sent back because";
    TodoTitle => "待办", "To-do";
    TodoEmpty => "暂无待办事项。", "Nothing to do.";
    TodoOpen => "去处理", "Open";
    TodoAcceptAll => "市局确认全区", "Accept the district";
    RemindersTitle => "催报名单", "Reminders";
    RemindersDownload => "下载催报名单（Excel）", "Download the reminder list (Excel)";
    RemindersPrint => "打印各所催报通知", "Print a reminder per station";
    RemindersNone => "该月各所均已上报。", "Every station has submitted this month.";
    PrintNow => "打印", "Print";
    ReminderSheetTitle => "月报催报通知", "Monthly return reminder";

    // Sign-in
    SignIn => "登录", "Sign in";
    SigningIn => "正在登录…", "Signing in…";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    EnterCredentials => "请输入用户名和密码。", "Enter your username and password.";

    // The session form
    LogTitle => "记录一场宣讲", "Log a session";
    EditTitle => "修改宣讲记录", "Edit a session";
    Campaign => "所属行动", "Campaign";
    ChooseCampaign => "请选择行动", "Choose a campaign";
    Date => "日期", "Date";
    Station => "派出所", "Police station";
    ChooseStation => "请选择派出所", "Choose a station";
    Format => "形式", "Format";
    NotAtSchool => "不在学校（社区、企业、派出所、线上等）", "Not at a school (community, company, station, online…)";
    VenueName => "场所名称", "Venue";
    VenueExample => "例如：雕庄派出所", "e.g. Diaozhuang police station";
    School => "学校", "School";
    SchoolSearchHint => "可输入校名的一部分、简称（如“雕庄初中”）、拼音首字母或学校代码，再点选下面的学校",
        "Type part of the name, a short name, pinyin initials or the school's code, then tap the school below";
    SchoolSearchPlaceholder => "搜索学校", "Find the school";
    SchoolNotFound => "没有找到这所学校：换个简称，或输入学校代码。", "No school found: try another short name, or the school's code.";
    ChooseStationFirst => "请先选择派出所", "Choose a station first";
    Topics => "宣防主题（可多选）", "Topics (one or more)";
    Audience => "受众人次", "Audience (person-times)";
    Students => "学生", "Students";
    Parents => "家长", "Parents";
    Teachers => "教师", "Teachers";
    Others => "其他", "Others";
    ConfirmLarge => "确认单场受众超过 5000 人次", "Confirm an audience above 5,000 person-times";
    Notes => "备注（不要填写未成年人姓名等个人信息）", "Notes (no names or other details of minors)";
    ConfirmDistinct => "确认这是另一场宣讲（例如同一天为不同班级各讲一次）",
        "Confirm this is another session (e.g. the same talk to another class that day)";
    Save => "保存", "Save";
    Saving => "保存中…", "Saving…";
    SaveChanges => "保存修改", "Save changes";
    Cancel => "取消", "Cancel";
    RepeatLast => "复制上一场", "Repeat last session";
    NothingToRepeat => "还没有可复制的记录。", "No earlier session to copy yet.";
    Repeated => "已复制上一场的内容，日期为今天，请核对后保存。", "Copied the last session with today's date; check it and save.";
    Queued => "网络不通：这条记录已保存在本机，联网后会自动发送。", "No network: the entry is kept on this device and will be sent when the network returns.";
    // Drafts, refused entries and the save bar (the officer's phone journey)
    FixMarked => "有内容需要修改，已标在对应的栏目下。", "Some fields need correcting; each says why.";
    DraftRestored => "已恢复上次未保存的内容，请核对后保存。", "What you typed last time and did not save is back; check it and save.";
    DiscardDraft => "清空重填", "Start again";
    ConfirmDiscardDraft => "清空表单中尚未保存的内容？", "Clear what you typed and did not save?";
    RefusedHead => "以下记录服务器未接受，请打开修改或确认后重新保存：", "The server refused these entries; open one to correct or confirm it, then save:";
    RefusedSeeAbove => "离线保存的记录未被服务器接受，请在页面顶部打开处理。", "An entry kept offline was refused; open it from the top of the page.";
    ReopenRefused => "在表单中打开", "Open in the form";
    DiscardRefused => "放弃这条", "Throw it away";
    ConfirmDiscardRefused => "放弃这条记录？放弃后无法恢复。", "Throw this entry away? It cannot be brought back.";
    ConfirmReplaceForm => "表单中尚未保存的内容将被这条记录替换，继续？", "What you typed and did not save will be replaced by this entry. Go on?";
    WaitingToSend => "条记录等待发送", "entries waiting to be sent";
    SendNow => "立即发送", "Send now";
    Recent => "最近记录", "Latest sessions";
    NoSessions => "还没有宣讲记录。", "No sessions logged yet.";
    Venue => "场所", "Venue";
    PersonTimes => "人次", "Person-times";
    Edit => "修改", "Edit";
    Delete => "删除", "Delete";
    ConfirmDelete => "确定删除这条记录？", "Delete this session?";
    ConfirmDeleteRecord => "确定删除这条记录？", "Delete this record?";
    StationSessions => "本所宣讲记录", "The station's sessions";
    Previous => "上一页", "Previous";
    Next => "下一页", "Next";
    Pages => "翻页", "Pages";
    Breadcrumb => "当前位置", "You are here";

    // A school's screenings
    ScreeningsTitle => "宣教片观看确认", "Confirm film screenings";
    NoFilmsAsked => "目前没有需要观看的宣教片。", "No films to show at the moment.";
    Confirmed => "已确认的观看", "Confirmed screenings";
    NoConfirmations => "还没有确认记录。", "Nothing confirmed yet.";
    Film => "影片", "Film";
    Classes => "班级", "Classes";
    Method => "方式", "Method";
    ShownOn => "观看日期", "Date shown";
    StudentsWatched => "观看学生（人）", "Students who watched";
    ParentsWatched => "观看家长（人）", "Parents who watched";
    ClassCount => "班级数", "Number of classes";
    ShowMethod => "观看方式", "How it was shown";
    ConfirmWatched => "确认已观看", "Confirm screening";
    ThankYou => "谢谢！已收到本校的确认。如有出入，可点“修改”更正。",
        "Thank you: your confirmation is in. If something is wrong, tap Edit to correct it.";
    OtherConfirmed => "其他已确认的观看", "Other confirmed screenings";
    Submitting => "正在提交…", "Sending…";

    // The dashboard (the headline figures' names and definitions are in
    // `humiao_shared::definitions`)
    DashboardTitle => "领导看板", "Dashboard";
    From => "起始日期", "From";
    To => "截止日期", "To";
    District => "辖区", "District";
    AllDistricts => "全部辖区", "All districts";
    AllStations => "全部派出所", "All stations";
    Topic => "主题", "Topic";
    AllTopics => "全部主题", "All topics";
    City => "全市", "City";
    Province => "全省", "Province";
    CityName => "城市", "City";
    AllCities => "全部城市", "All cities";
    Definition => "口径", "Definition";
    NoCampaign => "还没有宣防行动，暂无数据。", "No campaign yet, so no figures.";
    Sessions => "宣讲场次", "Sessions";
    UniqueStudents => "覆盖学生（去重）", "Unique students reached";
    SchoolsCovered => "覆盖学校", "Schools covered";
    StationsTrained => "有培训宣讲员的派出所", "Stations with a trained speaker";
    SchoolsConfirmed => "确认观看的学校", "Schools that confirmed";
    Export => "导出", "Export";
    AnnualReport => "年度工作报告", "Annual report";
    DrillHint => "点击表中名称可逐级查看。", "Click a name in a table to look closer.";
    NoData => "所选范围内暂无数据。", "No data in this selection.";
    OutcomesByMonth => "成效指标（按月）", "Outcome indicators by month";
    Total => "合计", "Total";
    Name => "名称", "Name";
    ResetFilters => "清除筛选", "Clear filters";
    Filters => "筛选", "Filters";
    NoDataShort => "无数据", "No data";
    DataShown => "数据范围", "Data shown";
    DataAll => "全部数据", "All data";
    DataAccepted => "已审核", "Accepted";
    ReturnsTitle => "月报完成情况", "Monthly returns";
    ReturnsHint => "每所每月一份月报，全年各月合计；次月截止日前首次报送为按时。点击名称可逐级查看。",
        "One return per station and month, the year's months together; on time when first sent by the deadline. Click a name to look closer.";
    ReturnsDue => "应报", "Due";
    OnTime => "按时", "On time";
    Late => "逾期", "Late";
    Missing => "未报", "Missing";
    ReturnsAccepted => "市局已审核", "Accepted";
    ScreeningWindows => "影片确认情况", "Film confirmations";
    Assignment => "放映任务", "Assignment";
    NotYetConfirmed => "未确认", "Not yet";
    DaysLeft => "剩余天数", "Days left";
    WindowClosed => "已截止", "Closed";

    // Admin
    AdminTitle => "管理", "Administration";
    Links => "学校链接", "School links";
    QrSheet => "签发并打印二维码页", "Issue and print the QR sheet";
    SearchSchool => "搜索学校（名称或代码）", "Find a school (name or code)";
    ExpiresOn => "有效期至", "Valid until";
    CopyLink => "复制链接", "Copy link";
    Copied => "已复制", "Copied";
    CopyFailed => "未能自动复制，请长按下面的链接复制。", "Could not copy: select the link below and copy it.";
    IssueAndCopy => "重新生成并复制", "Issue and copy";
    ConfirmIssue => "确认签发并打印", "Issue and print";
    ConfirmRevoke => "确认作废", "Revoke it";
    RevokeOneQuestion => "作废后，该校用这个链接或二维码将无法再确认观看。确定作废？",
        "Once revoked, the school cannot confirm with this link or its QR code. Revoke it?";
    CopyNote => "链接只在生成时显示一次：复制会为该校重新生成链接。",
        "A link is shown only when issued: copying issues the school a new one.";
    QrSheetNote => "二维码只在签发时显示一次（服务器只保存链接的摘要）：重新签发会作废这些学校现有的链接。",
        "QR codes are shown once, when issued (the server keeps only a hash of each link): issuing again revokes the schools' current links.";
    Add => "新增", "Add";
    Search => "搜索", "Search";
    NameOrCode => "名称或代码", "Name or code";
    All => "全部", "All";
    Actions => "操作", "Actions";
    Saved => "已保存。", "Saved.";
    Revoke => "作废", "Revoke";
    Status => "状态", "Status";
    Disable => "停用", "Disable";
    Enable => "启用", "Enable";
    Disabled => "已停用", "Disabled";
    LastSignIn => "最近登录", "Last sign-in";
    Import => "导入", "Import";
    ImportKind => "导入内容", "What to import";
    Template => "模板", "Template";
    File => "文件（Excel 或 CSV）", "File (Excel or CSV)";
    ChooseFile => "请先选择文件。", "Choose a file first.";
    DryRun => "检查文件", "Check the file";
    ImportNow => "导入", "Import";
    Row => "行", "Row";
    Column => "列", "Column";
    Problem => "问题", "Problem";
    ImportSkipped => "未作为记录导入的行", "Rows not imported as records";
    Month => "月份", "Month";
    ImportStored => "已导入", "Imported";
    ImportChecked => "检查完毕（未保存）", "Checked (nothing stored)";
    ImportRefused => "未导入：文件有问题，没有保存任何一行", "Not imported: the file has problems; no row was stored";
}

/// What the administrator is asked before a campaign's QR sheet is issued: how many links
/// in use that revokes, once the count is in (`None` until then: the question says nothing
/// it does not know).
/// What the top of a school's page says: how many films it still has to confirm.
pub fn remaining_films(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Zh, 0) => "全部已确认，谢谢！".into(),
        (Lang::Zh, n) => format!("还剩 {n} 部待确认"),
        (Lang::En, 0) => "All confirmed, thank you!".into(),
        (Lang::En, 1) => "1 film left to confirm".into(),
        (Lang::En, n) => format!("{n} films left to confirm"),
    }
}

/// The over-roll error with the roll it broke: `超过本校在册学生数 1,185`.
pub fn over_roll(lang: Lang, roll: i64) -> String {
    let roll = humiao_shared::charts::thousands(roll);
    match lang {
        Lang::Zh => format!("超过本校在册学生数 {roll}"),
        Lang::En => format!("More than the school's roll of {roll} students"),
    }
}

/// `3 条记录等待发送` / `3 entries waiting to be sent`.
pub fn waiting(lang: Lang, n: usize) -> String {
    format!("{n} {}", T::WaitingToSend.get(lang))
}

/// Days since a case's last contact (or, with none yet, since it opened).
pub fn days_since_contact(lang: Lang, days: i64, contacted: bool) -> String {
    match (lang, contacted) {
        (Lang::Zh, true) => format!("距上次联系 {days} 天"),
        (Lang::Zh, false) => format!("尚未联系，开案 {days} 天"),
        (Lang::En, true) => format!("{days} days since the last contact"),
        (Lang::En, false) => format!("no contact yet, opened {days} days ago"),
    }
}

/// The day a case's next contact is due.
pub fn contact_due(lang: Lang, day: &str) -> String {
    match lang {
        Lang::Zh => format!("应于 {day} 前联系"),
        Lang::En => format!("due by {day}"),
    }
}

/// A case opened, with the code the server issued.
pub fn case_opened(lang: Lang, code: &str) -> String {
    match lang {
        Lang::Zh => format!("已建档，编号 {code}（请记入本所纸质台账）。"),
        Lang::En => {
            format!("Case opened with code {code} (write it in the station's paper register).")
        }
    }
}

/// How many minors a night's care reached.
pub fn minors_cared(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Zh => format!("关爱 {n} 人"),
        Lang::En => format!("{n} minors cared for"),
    }
}

/// How many contacts wait on the phone.
pub fn contacts_waiting(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("{n} 条帮教记录待发送（联网后自动发送）"),
        Lang::En => format!("{n} contacts waiting to be sent (sent when the network returns)"),
    }
}

/// A refused entry in the outbox: `2026-12-03 · 雕庄小学 · 80 人次`.
pub fn refused_entry(lang: Lang, day: &str, place: &str, audience: i64) -> String {
    let place = if place.is_empty() { "—" } else { place };
    match lang {
        Lang::Zh => format!("{day} · {place} · {audience} 人次"),
        Lang::En => format!("{day} · {place} · {audience} person-times"),
    }
}

/// What a saved session says.
pub fn saved_session(lang: Lang, day: &str, venue: &str, audience: i64) -> String {
    match lang {
        Lang::Zh => format!("已保存：{day} {venue}，{audience} 人次。"),
        Lang::En => format!("Saved: {day}, {venue}, {audience} person-times."),
    }
}

pub fn window_text(lang: Lang, opens: &str, closes: &str) -> String {
    match lang {
        Lang::Zh => format!("观看时间：{opens} 至 {closes}"),
        Lang::En => format!("To be shown from {opens} to {closes}"),
    }
}

pub fn confirmed_text(lang: Lang, day: &str, students: i64, parents: i64) -> String {
    match lang {
        Lang::Zh => format!("已确认：{day}，学生 {students} 人，家长 {parents} 人"),
        Lang::En => format!("Confirmed: {day}, {students} students, {parents} parents"),
    }
}

/// What an import did (or, in a dry run, would do) with a file's rows.
pub fn import_summary(lang: Lang, report: &humiao_shared::import::ImportReport) -> String {
    let head = match (report.stored, report.dry_run) {
        (true, _) => T::ImportStored,
        (false, true) => T::ImportChecked,
        (false, false) => T::ImportRefused,
    }
    .get(lang);
    let r = report;
    match lang {
        Lang::Zh => format!(
            "{head}：共 {} 行，新增 {}，已有且相同 {}，已有但不同 {}，问题 {} 处。",
            r.rows, r.added, r.unchanged, r.present, r.problem_count
        ),
        Lang::En => format!(
            "{head}: {} rows, {} new, {} already stored as they are, {} stored differently, {} problems.",
            r.rows, r.added, r.unchanged, r.present, r.problem_count
        ),
    }
}

/// Covered schools with no roll on record at all, whose students are counted uncapped.
pub fn no_roll(lang: Lang, schools: i64) -> String {
    match lang {
        Lang::Zh => format!("无在册数 {schools}所"),
        Lang::En => format!("No roll (无在册数): {schools} schools"),
    }
}

/// Where a pager is: `第 1/3 页 · 共 45 条`.
pub fn page_of(lang: Lang, page: i64, pages: i64, total: i64) -> String {
    let total = humiao_shared::charts::thousands(total);
    match lang {
        Lang::Zh => format!("第 {page}/{pages} 页 · 共 {total} 条"),
        Lang::En => format!("Page {page} of {pages} · {total} in all"),
    }
}

/// How many records a list holds, in its caption: `共 45 条`.
pub fn count_of(lang: Lang, total: i64) -> String {
    let total = humiao_shared::charts::thousands(total);
    match lang {
        Lang::Zh => format!("共 {total} 条"),
        Lang::En => format!("{total} in all"),
    }
}

/// The warning beside a name that other records already have, with their codes.
pub fn same_name(lang: Lang, codes: &[String]) -> String {
    let codes = codes.join("、");
    match lang {
        Lang::Zh => format!("已有同名记录（代码 {codes}），请确认不是重复录入；仍可保存。"),
        Lang::En => format!(
            "A record with this name exists (code {codes}); check it is not the same one. You can still save."
        ),
    }
}

/// `120 / 855`: a part of a whole.
pub fn of(part: i64, whole: i64) -> String {
    format!(
        "{} / {}",
        humiao_shared::charts::thousands(part),
        humiao_shared::charts::thousands(whole)
    )
}

/// A month's figures, as a return's summary shows them.
pub fn return_figures(lang: Lang, sessions: i64, audience: i64) -> String {
    let audience = humiao_shared::charts::thousands(audience);
    match lang {
        Lang::Zh => format!("本月宣讲 {sessions} 场，{audience} 人次"),
        Lang::En => format!("{sessions} sessions this month, {audience} person-times"),
    }
}

/// A warning of a return's summary, in words.
pub fn return_warning(lang: Lang, warning: &humiao_shared::returns::ReturnWarning) -> String {
    use humiao_shared::returns::ReturnWarning as W;
    match (warning, lang) {
        (W::NoSessions, Lang::Zh) => "本月没有宣讲记录".into(),
        (W::NoSessions, Lang::En) => "No session logged this month".into(),
        (W::FollowUpsAboveCalls { follow_ups, calls }, Lang::Zh) => {
            format!("回访 {follow_ups} 次多于出走失联警情 {calls} 起")
        }
        (W::FollowUpsAboveCalls { follow_ups, calls }, Lang::En) => {
            format!("{follow_ups} follow-ups but {calls} runaway calls")
        }
        (
            W::Unusual {
                indicator,
                value,
                usual,
            },
            _,
        ) => match lang {
            Lang::Zh => format!(
                "{} 为 {value}，与往常（约 {usual}）相差较大",
                indicator.label(lang)
            ),
            Lang::En => format!(
                "{} is {value}, far from its usual {usual}",
                indicator.label(lang)
            ),
        },
    }
}

/// When a return is due, and how late it is.
pub fn due_text(lang: Lang, deadline: &str, days_late: i64) -> String {
    match (lang, days_late) {
        (Lang::Zh, 0) => format!("{deadline} 前上报"),
        (Lang::Zh, n) => format!("截止 {deadline}，已逾期 {n} 天"),
        (Lang::En, 0) => format!("due by {deadline}"),
        (Lang::En, n) => format!("due {deadline}, {n} days late"),
    }
}

/// When a return that left the station was due.
pub fn deadline_text(lang: Lang, deadline: &str) -> String {
    match lang {
        Lang::Zh => format!("截止 {deadline}"),
        Lang::En => format!("due {deadline}"),
    }
}

/// A to-do item's line, naming the month and the place.
pub fn todo_line(lang: Lang, item: &humiao_shared::todo::TodoItem) -> String {
    use humiao_shared::todo::TodoItem as I;
    match (item, lang) {
        (I::Submit { month, state, .. }, Lang::Zh) => match state {
            humiao_shared::returns::ReturnState::Returned => {
                format!("{month} 月报被退回，请修改后重新上报")
            }
            _ => format!("{month} 月报待上报"),
        },
        (I::Submit { month, state, .. }, Lang::En) => match state {
            humiao_shared::returns::ReturnState::Returned => {
                format!("The {month} return was sent back: fix it and submit again")
            }
            _ => format!("Submit the {month} return"),
        },
        (
            I::Review {
                station_name,
                month,
                ..
            },
            Lang::Zh,
        ) => format!("{station_name} {month} 月报待审核"),
        (
            I::Review {
                station_name,
                month,
                ..
            },
            Lang::En,
        ) => format!("Review {station_name}'s {month} return"),
        (
            I::NotSubmitted {
                station_name,
                month,
                ..
            },
            Lang::Zh,
        ) => format!("{station_name} 尚未上报 {month} 月报"),
        (
            I::NotSubmitted {
                station_name,
                month,
                ..
            },
            Lang::En,
        ) => format!("{station_name} has not submitted {month}"),
        (
            I::AcceptDistrict {
                district_name,
                month,
                approved,
                ..
            },
            Lang::Zh,
        ) => {
            format!("{district_name} {month} 月报已全部审核（{approved} 个所），待市局确认")
        }
        (
            I::AcceptDistrict {
                district_name,
                month,
                approved,
                ..
            },
            Lang::En,
        ) => {
            format!(
                "{district_name}: all {approved} returns of {month} approved, waiting for the city"
            )
        }
        (
            I::Confirm {
                film_title,
                assignment_title,
                ..
            },
            Lang::Zh,
        ) => format!("《{film_title}》未确认观看（{assignment_title}）"),
        (
            I::Confirm {
                film_title,
                assignment_title,
                ..
            },
            Lang::En,
        ) => format!("Confirm the screening of {film_title} ({assignment_title})"),
    }
}

/// Days left in a screening window.
pub fn days_left(lang: Lang, closes_on: &str, days: i64) -> String {
    match (lang, days) {
        (Lang::Zh, 0) => format!("今天（{closes_on}）截止"),
        (Lang::Zh, n) => format!("{closes_on} 截止，还剩 {n} 天"),
        (Lang::En, 0) => format!("closes today ({closes_on})"),
        (Lang::En, n) => format!("closes {closes_on}, {n} days left"),
    }
}

/// What a reminder sheet asks of a station.
pub fn reminder_text(
    lang: Lang,
    station: &str,
    month: &str,
    deadline: &str,
    days_late: i64,
) -> String {
    match (lang, days_late) {
        (Lang::Zh, 0) => format!("{station}：{month} 月报尚未上报，请于 {deadline} 前登录护苗平台核对本月宣讲记录和成效数据后上报。"),
        (Lang::Zh, n) => format!("{station}：{month} 月报应于 {deadline} 前上报，现已逾期 {n} 天，请尽快登录护苗平台核对后上报。"),
        (Lang::En, 0) => format!("{station}: the {month} return is not submitted yet. Check the month's sessions and figures in Humiao and submit it by {deadline}."),
        (Lang::En, n) => format!("{station}: the {month} return was due on {deadline} and is {n} days late. Check it in Humiao and submit it as soon as possible."),
    }
}
