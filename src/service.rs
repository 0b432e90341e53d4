//! What a service is (its type) and how it runs (its run status).

use crate::spelling::labelled_enum;

labelled_enum!(ServiceType, "service type", "服务类型", {
    Subscription = "subscription", "XaaS订阅", "xaas", "订阅", "订阅服务";
    Managed = "managed", "安全托管", "托管", "安全托管服务", "mss";
    Basic = "basic", "基础维保", "维保", "基础服务";
});

labelled_enum!(RunStatus, "run status", "运行状态", {
    Normal = "normal", "正常";
    Abnormal = "abnormal", "异常";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_types_parse_both_languages() {
        assert_eq!(
            ServiceType::parse("XaaS订阅"),
            Ok(ServiceType::Subscription)
        );
        assert_eq!(ServiceType::parse("Managed"), Ok(ServiceType::Managed));
        assert_eq!(ServiceType::parse("基础维保"), Ok(ServiceType::Basic));
        assert!(ServiceType::parse("hardware").is_err());
        assert_eq!(RunStatus::parse("异常"), Ok(RunStatus::Abnormal));
    }
}
