//! Pods as ECS Fargate tasks (aws-sdk-ecs), their public IPs from the task's network interface
//! (aws-sdk-ec2) and their utilisation from CloudWatch Container Insights.

use std::collections::HashMap;

use aws_sdk_ecs::config::http::HttpResponse;
use aws_sdk_ecs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, ContainerOverride, DesiredStatus, KeyValuePair,
    LaunchType, NetworkConfiguration, Tag, Task, TaskOverride,
};
use chrono::{DateTime, Utc};

use super::driver::{DriverError, PodDriver, StartedTask, TaskSpec, Utilisation};
use crate::domain::pod::{TaskObservation, TaskPhase};

/// Where and how pods run on ECS.
#[derive(Debug, Clone)]
pub struct EcsSettings {
    pub cluster: String,
    /// `family` or `family:revision`.
    pub task_definition: String,
    /// The container that receives the pod's environment.
    pub container_name: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: bool,
    /// Pods answer at `https://<pod_id>.<pod_domain>`.
    pub pod_domain: String,
    /// CloudWatch namespace of the per-task metrics (Container Insights).
    pub metrics_namespace: String,
    /// What the task reserves, to turn utilised units into percent.
    pub cpu_units: i32,
    pub memory_mib: i32,
}

#[derive(Debug, Clone)]
pub struct EcsDriver {
    pub ecs: aws_sdk_ecs::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub settings: EcsSettings,
}

/// Client errors (4xx but throttling) cannot succeed on retry; everything else may.
fn classify<E>(action: &str, error: SdkError<E, HttpResponse>) -> DriverError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let text = format!("{action}: {}", DisplayErrorContext(&error));
    match &error {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let throttled = context
                .err()
                .code()
                .is_some_and(|code| code.contains("Throttl"));
            if (400..500).contains(&status) && status != 429 && !throttled {
                DriverError::Rejected(text)
            } else {
                DriverError::Unavailable(text)
            }
        }
        _ => DriverError::Unavailable(text),
    }
}

fn phase(last_status: &str) -> TaskPhase {
    match last_status {
        "RUNNING" => TaskPhase::Running,
        "DEACTIVATING" | "STOPPING" | "DEPROVISIONING" => TaskPhase::Stopping,
        "STOPPED" | "DELETED" => TaskPhase::Stopped,
        _ => TaskPhase::Pending,
    }
}

/// A detail of the task's ENI attachment (`networkInterfaceId`, `privateIPv4Address`).
fn eni_detail<'a>(task: &'a Task, name: &str) -> Option<&'a str> {
    task.attachments()
        .iter()
        .filter(|a| a.r#type() == Some("ElasticNetworkInterface"))
        .flat_map(|a| a.details())
        .find(|d| d.name() == Some(name))
        .and_then(|d| d.value())
}

fn observe(task: &Task, public_ips: &HashMap<String, String>) -> TaskObservation {
    let eni = eni_detail(task, "networkInterfaceId");
    TaskObservation {
        task_arn: task.task_arn().unwrap_or_default().to_owned(),
        phase: phase(task.last_status().unwrap_or_default()),
        stopped_reason: task.stopped_reason().unwrap_or_default().to_owned(),
        public_ip: eni.and_then(|eni| public_ips.get(eni).cloned()),
        private_ip: eni_detail(task, "privateIPv4Address").map(str::to_owned),
        stop_requested: task.desired_status() == Some("STOPPED"),
    }
}

impl EcsDriver {
    /// A running task an earlier start with this token began (`startedBy` carries the token, so
    /// a retry after a lost answer finds it even where clientToken's window has passed).
    async fn started_by(&self, token: &str) -> Result<Option<String>, DriverError> {
        let listed = self
            .ecs
            .list_tasks()
            .cluster(&self.settings.cluster)
            .started_by(token)
            .desired_status(DesiredStatus::Running)
            .send()
            .await
            .map_err(|e| classify("ECS ListTasks", e))?;
        Ok(listed.task_arns().first().cloned())
    }

    fn endpoint(&self, pod_id: &str) -> String {
        format!("https://{pod_id}.{}", self.settings.pod_domain)
    }

    /// Public IPs of these ENIs (those that have one).
    async fn public_ips(&self, enis: Vec<String>) -> Result<HashMap<String, String>, DriverError> {
        if enis.is_empty() {
            return Ok(HashMap::new());
        }
        let described = self
            .ec2
            .describe_network_interfaces()
            .set_network_interface_ids(Some(enis))
            .send()
            .await
            .map_err(|e| classify("EC2 DescribeNetworkInterfaces", e))?;
        Ok(described
            .network_interfaces()
            .iter()
            .filter_map(|eni| {
                let ip = eni.association()?.public_ip()?;
                Some((eni.network_interface_id()?.to_owned(), ip.to_owned()))
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl PodDriver for EcsDriver {
    fn is_shared(&self) -> bool {
        true
    }

    async fn start(&self, spec: &TaskSpec) -> Result<StartedTask, DriverError> {
        let endpoint = self.endpoint(&spec.pod_id);
        if let Some(task_arn) = self.started_by(&spec.client_token).await? {
            return Ok(StartedTask { task_arn, endpoint });
        }
        let s = &self.settings;
        let network = AwsVpcConfiguration::builder()
            .set_subnets(Some(s.subnets.clone()))
            .set_security_groups(Some(s.security_groups.clone()))
            .assign_public_ip(if s.assign_public_ip {
                AssignPublicIp::Enabled
            } else {
                AssignPublicIp::Disabled
            })
            .build()
            .map_err(|e| DriverError::Rejected(format!("pods.ecs.subnets: {e}")))?;
        let environment = spec
            .env
            .iter()
            .map(|(name, value)| KeyValuePair::builder().name(name).value(value).build())
            .collect();
        let tag = |key: &str, value: &str| Tag::builder().key(key).value(value).build();
        let output = self
            .ecs
            .run_task()
            .cluster(&s.cluster)
            .task_definition(&s.task_definition)
            .launch_type(LaunchType::Fargate)
            .count(1)
            .client_token(&spec.client_token)
            .started_by(&spec.client_token)
            .network_configuration(
                NetworkConfiguration::builder()
                    .awsvpc_configuration(network)
                    .build(),
            )
            .overrides(
                TaskOverride::builder()
                    .container_overrides(
                        ContainerOverride::builder()
                            .name(&s.container_name)
                            .set_environment(Some(environment))
                            .build(),
                    )
                    .build(),
            )
            .tags(tag("pod_id", &spec.pod_id))
            .tags(tag("subscription_id", &spec.subscription_id))
            .tags(tag("plan", &spec.plan))
            .send()
            .await
            .map_err(|e| classify("ECS RunTask", e))?;
        if let Some(task_arn) = output.tasks().first().and_then(|t| t.task_arn()) {
            return Ok(StartedTask {
                task_arn: task_arn.to_owned(),
                endpoint,
            });
        }
        let reasons: Vec<String> = output
            .failures()
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f.reason().unwrap_or("unknown"),
                    f.detail().unwrap_or_default()
                )
                .trim()
                .to_owned()
            })
            .collect();
        Err(DriverError::Rejected(format!(
            "ECS RunTask started no task: {}",
            if reasons.is_empty() {
                "no reason given".to_owned()
            } else {
                reasons.join("; ")
            }
        )))
    }

    async fn describe(&self, task_arns: &[String]) -> Result<Vec<TaskObservation>, DriverError> {
        let mut seen = Vec::with_capacity(task_arns.len());
        // DescribeTasks takes at most 100 tasks per call.
        for chunk in task_arns.chunks(100) {
            let output = self
                .ecs
                .describe_tasks()
                .cluster(&self.settings.cluster)
                .set_tasks(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| classify("ECS DescribeTasks", e))?;
            let enis = output
                .tasks()
                .iter()
                .filter(|t| t.last_status() == Some("RUNNING"))
                .filter_map(|t| eni_detail(t, "networkInterfaceId").map(str::to_owned))
                .collect();
            let public_ips = self.public_ips(enis).await?;
            let found: HashMap<&str, &Task> = output
                .tasks()
                .iter()
                .filter_map(|t| Some((t.task_arn()?, t)))
                .collect();
            for arn in chunk {
                seen.push(match found.get(arn.as_str()) {
                    Some(task) => observe(task, &public_ips),
                    None => TaskObservation {
                        task_arn: arn.clone(),
                        phase: TaskPhase::Missing,
                        stopped_reason: String::new(),
                        public_ip: None,
                        private_ip: None,
                        stop_requested: false,
                    },
                });
            }
        }
        Ok(seen)
    }

    async fn stop(&self, task_arn: &str, reason: &str) -> Result<TaskObservation, DriverError> {
        let output = self
            .ecs
            .stop_task()
            .cluster(&self.settings.cluster)
            .task(task_arn)
            .reason(reason.chars().take(255).collect::<String>())
            .send()
            .await
            .map_err(|e| classify("ECS StopTask", e))?;
        let task = output.task().ok_or_else(|| {
            DriverError::Unavailable("ECS StopTask answered without the task".into())
        })?;
        Ok(observe(task, &HashMap::new()))
    }

    async fn utilisation(
        &self,
        task_arn: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        step_secs: i32,
    ) -> Result<Utilisation, DriverError> {
        use aws_sdk_cloudwatch::primitives::DateTime as AwsTime;
        use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
        let s = &self.settings;
        let task_id = task_arn.rsplit('/').next().unwrap_or(task_arn);
        let family = s.task_definition.split(':').next().unwrap_or_default();
        let dimension =
            |name: &str, value: &str| Dimension::builder().name(name).value(value).build();
        let query = |id: &str, metric_name: &str| {
            MetricDataQuery::builder()
                .id(id)
                .metric_stat(
                    MetricStat::builder()
                        .metric(
                            Metric::builder()
                                .namespace(&s.metrics_namespace)
                                .metric_name(metric_name)
                                .dimensions(dimension("ClusterName", &s.cluster))
                                .dimensions(dimension("TaskDefinitionFamily", family))
                                .dimensions(dimension("TaskId", task_id))
                                .build(),
                        )
                        .period(step_secs)
                        .stat("Average")
                        .build(),
                )
                .build()
        };
        let output = self
            .cloudwatch
            .get_metric_data()
            .start_time(AwsTime::from_secs(start.timestamp()))
            .end_time(AwsTime::from_secs(end.timestamp()))
            .metric_data_queries(query("cpu", "CpuUtilized"))
            .metric_data_queries(query("memory", "MemoryUtilized"))
            .send()
            .await
            .map_err(|e| classify("CloudWatch GetMetricData", e))?;
        let mut utilisation = Utilisation::default();
        for result in output.metric_data_results() {
            // Container Insights reports used CPU units and MiB; the proto wants percent of what
            // the task reserves.
            let (series, reserved) = match result.id() {
                Some("cpu") => (&mut utilisation.cpu, s.cpu_units),
                Some("memory") => (&mut utilisation.memory, s.memory_mib),
                _ => continue,
            };
            for (at, value) in result.timestamps().iter().zip(result.values()) {
                let Some(at) = DateTime::from_timestamp(at.secs(), 0) else {
                    continue;
                };
                let percent = if reserved > 0 {
                    (value / f64::from(reserved) * 100.0).clamp(0.0, 100.0)
                } else {
                    0.0
                };
                series.push((at, percent));
            }
            series.sort_by_key(|(at, _)| *at);
        }
        Ok(utilisation)
    }
}
