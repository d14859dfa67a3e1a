import KubeModel

/// Jobs: upstream's defaults (parallelism/completions 1, backoffLimit 6, NonIndexed, not
/// suspended), the generated selector and labels that tie pods to the job's uid, validation
/// (restart policy OnFailure or Never), immutable selector and template.
struct JobStrategy: KindStrategy {
    static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
    static let jobNameLabel = "batch.kubernetes.io/job-name"
    static let legacyControllerUIDLabel = "controller-uid"
    static let legacyJobNameLabel = "job-name"

    func applyDefaults(_ job: inout BatchV1.Job) {
        if job.spec.completions == nil && job.spec.parallelism == nil {
            job.spec.completions = 1
            job.spec.parallelism = 1
        }
        if job.spec.parallelism == nil { job.spec.parallelism = 1 }
        if job.spec.backoffLimit == nil {
            job.spec.backoffLimit = job.spec.backoffLimitPerIndex == nil ? 6 : Int32.max
        }
        if (job.spec.completionMode ?? "").isEmpty { job.spec.completionMode = "NonIndexed" }
        if job.spec.suspend == nil { job.spec.suspend = false }
        if (job.spec.podReplacementPolicy ?? "").isEmpty {
            job.spec.podReplacementPolicy = job.spec.podFailurePolicy == nil ? "TerminatingOrFailed" : "Failed"
        }
        PodSpecDefaults.applyTemplate(&job.spec.template)
    }

    func prepareForCreate(_ job: inout BatchV1.Job) {
        job.status = BatchV1.JobStatus()
        if job.spec.manualSelector != true { Self.generateSelector(&job) }
    }

    /// Selects the job's pods by its uid and labels the template accordingly.
    static func generateSelector(_ job: inout BatchV1.Job) {
        guard let uid = job.metadata.uid, let name = job.metadata.name else { return }
        var template = job.spec.template.metadata ?? MetaV1.ObjectMeta()
        var labels = template.labels ?? [:]
        labels[controllerUIDLabel] = uid
        labels[jobNameLabel] = name
        labels[legacyControllerUIDLabel] = uid
        labels[legacyJobNameLabel] = name
        template.labels = labels
        job.spec.template.metadata = template
        if job.spec.selector == nil || job.spec.selector == MetaV1.LabelSelector() {
            job.spec.selector = MetaV1.LabelSelector(matchLabels: [controllerUIDLabel: uid])
        }
    }

    func validate(_ job: BatchV1.Job) -> [APIError.FieldCause] {
        let spec = ValidationPath("spec")
        var causes = ObjectMetaValidation.validate(job.metadata)
        causes += WorkloadValidation.nonNegative(job.spec.parallelism, spec.child("parallelism"))
        causes += WorkloadValidation.nonNegative(job.spec.completions, spec.child("completions"))
        causes += WorkloadValidation.nonNegative(job.spec.backoffLimit, spec.child("backoffLimit"))
        causes += WorkloadValidation.nonNegative(job.spec.ttlSecondsAfterFinished, spec.child("ttlSecondsAfterFinished"))
        if let deadline = job.spec.activeDeadlineSeconds, deadline <= 0 {
            causes.append(.invalid(spec.child("activeDeadlineSeconds"), deadline, "must be greater than or equal to 1"))
        }
        if let mode = job.spec.completionMode, !["NonIndexed", "Indexed"].contains(mode) {
            causes.append(.notSupported(spec.child("completionMode"), mode, ["NonIndexed", "Indexed"]))
        }
        if job.spec.completionMode == "Indexed" && job.spec.completions == nil {
            causes.append(.required(spec.child("completions"), "when completion mode is Indexed"))
        }
        causes += WorkloadValidation.validateSelector(job.spec.selector, template: job.spec.template, path: spec)
        causes += WorkloadValidation.validateTemplate(job.spec.template, path: spec, restartPolicies: ["OnFailure", "Never"])
        return causes
    }

    func prepareForUpdate(_ job: inout BatchV1.Job, old: BatchV1.Job) { job.status = old.status }

    func validateUpdate(_ job: BatchV1.Job, old: BatchV1.Job) -> [APIError.FieldCause] {
        var causes = validate(job) + WorkloadValidation.immutableSelector(job.spec.selector, old.spec.selector, ValidationPath("spec"))
        if job.spec.template != old.spec.template && old.spec.suspend != true {
            causes.append(.immutable(ValidationPath("spec").child("template"), "core.PodTemplateSpec{…}"))
        }
        if job.spec.completionMode != old.spec.completionMode {
            causes.append(.immutable(ValidationPath("spec").child("completionMode"), "\"\(job.spec.completionMode ?? "")\""))
        }
        return causes
    }
}

/// CronJobs: upstream's defaults (Allow, not suspended, keep 3 successful and 1 failed job) and
/// validation of the schedule and policies.
struct CronJobStrategy: KindStrategy {
    static let concurrencyPolicies = ["Allow", "Forbid", "Replace"]

    func applyDefaults(_ cronJob: inout BatchV1.CronJob) {
        if (cronJob.spec.concurrencyPolicy ?? "").isEmpty { cronJob.spec.concurrencyPolicy = "Allow" }
        if cronJob.spec.suspend == nil { cronJob.spec.suspend = false }
        if cronJob.spec.successfulJobsHistoryLimit == nil { cronJob.spec.successfulJobsHistoryLimit = 3 }
        if cronJob.spec.failedJobsHistoryLimit == nil { cronJob.spec.failedJobsHistoryLimit = 1 }
        var jobSpec = cronJob.spec.jobTemplate.spec ?? BatchV1.JobSpec()
        PodSpecDefaults.applyTemplate(&jobSpec.template)
        cronJob.spec.jobTemplate.spec = jobSpec
    }

    func prepareForCreate(_ cronJob: inout BatchV1.CronJob) { cronJob.status = BatchV1.CronJobStatus() }

    func validate(_ cronJob: BatchV1.CronJob) -> [APIError.FieldCause] {
        let spec = ValidationPath("spec")
        var causes = ObjectMetaValidation.validate(cronJob.metadata)
        if cronJob.spec.schedule.isEmpty {
            causes.append(.required(spec.child("schedule")))
        } else if let problem = CronScheduleSyntax.problem(in: cronJob.spec.schedule) {
            causes.append(.invalid(spec.child("schedule"), cronJob.spec.schedule, problem))
        }
        if let policy = cronJob.spec.concurrencyPolicy, !Self.concurrencyPolicies.contains(policy) {
            causes.append(.notSupported(spec.child("concurrencyPolicy"), policy, Self.concurrencyPolicies))
        }
        causes += WorkloadValidation.nonNegative(cronJob.spec.successfulJobsHistoryLimit, spec.child("successfulJobsHistoryLimit"))
        causes += WorkloadValidation.nonNegative(cronJob.spec.failedJobsHistoryLimit, spec.child("failedJobsHistoryLimit"))
        causes += WorkloadValidation.nonNegative(cronJob.spec.startingDeadlineSeconds, spec.child("startingDeadlineSeconds"))
        let jobSpec = spec.child("jobTemplate").child("spec")
        causes += WorkloadValidation.validateTemplate(cronJob.spec.jobTemplate.spec?.template, path: jobSpec,
                                                      restartPolicies: ["OnFailure", "Never"])
        return causes
    }

    func prepareForUpdate(_ cronJob: inout BatchV1.CronJob, old: BatchV1.CronJob) { cronJob.status = old.status }
}
