import Foundation
import KubeModel

/// `kubectl get jobs`: NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR.
public struct JobTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Status", "Status of the job."),
        Printers.column("Completions", "The number of pods which reached phase Succeeded."),
        Printers.column("Duration", "Time required to complete the job."),
        Printers.age,
        Printers.containers,
        Printers.images,
        Printers.selector("A label query over pods that should match the pod count."),
    ]

    public func row(_ job: BatchV1.Job, now: Date) -> [JSONValue] {
        [
            .string(job.metadata.name ?? ""),
            .string(Self.status(of: job)),
            .string(Self.completions(of: job)),
            .string(Self.duration(of: job, now: now)),
            Printers.age(job, now: now),
        ] + Printers.templateCells(job.spec.template) + [
            .string(Printers.formatLabelSelector(job.spec.selector)),
        ]
    }

    /// `1/2`; without `completions`, `0/1` or `0/1 of 3` when more than one pod runs in parallel.
    static func completions(of job: BatchV1.Job) -> String {
        let succeeded = job.status.succeeded ?? 0
        if let completions = job.spec.completions { return "\(succeeded)/\(completions)" }
        let parallelism = job.spec.parallelism ?? 0
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    /// Start to completion (or to now while running); empty before the job starts.
    static func duration(of job: BatchV1.Job, now: Date) -> String {
        guard let start = job.status.startTime?.date else { return "" }
        let end = job.status.completionTime?.date ?? now
        return HumanDuration.format(end.timeIntervalSince(start))
    }

    static func status(of job: BatchV1.Job) -> String {
        let conditions = job.status.conditions ?? []
        func holds(_ type: String) -> Bool {
            // The first condition of a type decides, as upstream's `hasJobCondition`.
            conditions.first { $0.type == type }?.status == "True"
        }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if job.metadata.deletionTimestamp != nil { return "Terminating" }
        if holds("Suspended") { return "Suspended" }
        if holds("FailureTarget") { return "FailureTarget" }
        return "Running"
    }
}
