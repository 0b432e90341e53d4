//! Follow-ups, work items, health, settings and typed values speak
//! Chinese under `--lang zh`, and English, unchanged, by default; a status
//! is typed with any dash, in full width, or in its short Chinese form.

use super::*;

#[test]
fn a_status_takes_any_dash_and_its_short_chinese_form() {
    let env = Env::new();
    env.import_examples();
    env.xaas("followup set --service S00002 --status 跟进中—有风险")
        .ok()
        .stdout_is("1 service of 中科智联信息技术有限公司: pending → at_risk (S00002)\n");
    env.xaas("followup set --service S00017 --status ＮＯ＿ＲＩＳＫ")
        .ok()
        .stdout_is("1 service of 中科智联信息技术有限公司: pending → no_risk (S00017)\n");
    env.xaas("--lang zh followup set --service S00047 --status 识别风险")
        .ok()
        .stdout_is("中科智联信息技术有限公司 的 1 个服务: 待跟进 → 跟进中-识别风险（S00047）\n");
    env.xaas("followup set --service S00032 --status 不续费 --reason 经营")
        .ok()
        .stdout_has("pending → not_renewing");
    let before = env.dump();
    env.xaas("followup set --service S00002 --status 跟进中")
        .fails(2)
        .stderr_has("ambiguous status `跟进中`; it could be any of: identifying_risk (跟进中-识别风险), at_risk (跟进中-有风险), no_risk (跟进中-无风险)");
    env.xaas("--lang zh followup set --service S00002 --status 跟进中")
        .fails(2)
        .stderr_has("续费状态 `跟进中` 有歧义，可能是：identifying_risk (跟进中-识别风险)");
    env.xaas("--lang zh followup set --service S00002 --status 跟进中一有风险")
        .fails(2)
        .stderr_has("无法识别的续费状态 `跟进中一有风险`；可选：none (无)");
    assert_eq!(env.dump(), before);
}

#[test]
fn followup_refusals_and_summaries_speak_chinese() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    env.xaas("--lang zh followup set --service S00002 --service S00029 --status at_risk")
        .fails(1)
        .stderr_is("错误：未做任何修改；1 项被拒绝：\n  S00029（明德实验中学）：不在跟进窗口内：距到期还有 400 天（到期前 90 天才进入跟进窗口）\n");
    env.xaas("followup set --service S00002 --service S00029 --status at_risk")
        .fails(1)
        .stderr_is("error: nothing changed; 1 refused:\n  S00029 (明德实验中学): outside the follow-up window: 400 days left (the window opens 90 days before expiry)\n");
    env.xaas("--lang zh followup set C0015 --window within_30 --status no_risk")
        .fails(1)
        .stderr_has("C0015（润泽水务有限公司）在到期窗口 within_30 内没有未关闭的服务；已关闭的：S00045 为已流失");
    env.xaas("--lang zh followup set C0002 --status at_risk")
        .fails(2)
        .stderr_has("C0002（中科智联信息技术有限公司）：30天内过期 2 个，90天内过期 2 个");
    env.xaas("--lang zh renew S00002 --until 2026-11-23")
        .fails(1)
        .stderr_has("S00002：--until 2026-11-23 不晚于当前到期日 2026-11-23");
    env.xaas("--lang zh followup set 不存在 --status at_risk")
        .fails(1)
        .stderr_is(
            "错误：没有客户 `不存在`\n提示：`xaas list --search 文本` 可按名称的一部分查找客户\n",
        );
    env.xaas("followup set 不存在 --status at_risk")
        .fails(1)
        .stderr_is("error: no customer `不存在`\nhint: `xaas list --search TEXT` finds customers by a part of their name\n");
    env.xaas("--lang zh log add C0002 --service S00001 --note 电话")
        .fails(1)
        .stderr_has("未写入跟进记录：S00001 不是 C0002（中科智联信息技术有限公司）的服务，它属于 C0001（华宇科技有限公司）");
    assert_eq!(env.dump(), before);
}

#[test]
fn work_items_health_settings_and_values_speak_chinese() {
    let env = Env::new();
    env.import_examples();
    env.xaas("--lang zh tasks done 999")
        .fails(1)
        .stderr_is("错误：没有任务 #999\n提示：`xaas tasks list --all` 可列出所有任务及其编号\n");
    env.xaas("tasks done 999").fails(1).stderr_is(
        "error: no task #999\nhint: `xaas tasks list --all` lists every task with its id\n",
    );
    env.xaas("lead add C0002 --product EDR --note 增购").ok();
    env.xaas("lead set 1 --status invalid").ok();
    env.xaas("--lang zh lead set 1 --status 有效")
        .fails(1)
        .stderr_has("线索 #1 自 2026-11-23 起为无效，不能再改；未做修改\n提示：");
    env.xaas("--lang zh budget submit C0002")
        .fails(1)
        .stderr_has("C0002 没有预算制定时间；未做修改");
    env.xaas("--lang zh health calibrate")
        .fails(1)
        .stderr_has("已续费服务期只有 0 个；校准至少需要 30 个\n提示：");
    env.xaas("--lang zh settings health_danger_pct 50")
        .fails(2)
        .stderr_has(
            "health_danger_pct（50）将高于 health_fair_pct（40）：危险是最低的一档\n提示：",
        );
    env.xaas("--lang zh settings")
        .ok()
        .stdout_has("到期后多少天，未关闭的服务期算作已流失");
    env.xaas("settings")
        .ok()
        .stdout_has("days after expiry before an open term is lapsed (rule 11)");
    env.xaas("--lang zh renew S00002 --until 2026-02-30")
        .fails(2)
        .stderr_has("`2026-02-30` 不是真实存在的日期");
    env.xaas("--lang zh list --csm 无名")
        .fails(1)
        .stderr_has("没有哪个客户的 客户经营接口人 是 `无名`；已有的值：");
}
