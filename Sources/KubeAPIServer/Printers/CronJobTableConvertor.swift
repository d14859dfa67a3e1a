import Foundation
import KubeModel

/// `kubectl get cronjobs`: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE,
/// wide CONTAINERS IMAGES SELECTOR.
public struct CronJobTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Schedule", "The schedule in Cron format."),
        Printers.column("Timezone", "The time zone name for the given schedule."),
        Printers.column("Suspend", "This flag tells the controller to suspend subsequent executions.", type: "boolean"),
        Printers.column("Active", "A list of pointers to currently running jobs.", type: "integer"),
        Printers.column("Last Schedule", "Information when was the last time the job was successfully scheduled."),
        Printers.age,
        Printers.containers,
        Printers.images,
        Printers.selector("A label query over pods that should match the pod count."),
    ]

    public func row(_ cronJob: BatchV1.CronJob, now: Date) -> [JSONValue] {
        let lastSchedule = cronJob.status.lastScheduleTime.map { Printers.since($0, now: now) } ?? Printers.none
        let jobSpec = cronJob.spec.jobTemplate.spec
        return [
            .string(cronJob.metadata.name ?? ""),
            .string(cronJob.spec.schedule),
            .string(cronJob.spec.timeZone ?? Printers.none),
            .string(Printers.boolString(cronJob.spec.suspend)),
            Printers.int(cronJob.status.active?.count ?? 0),
            .string(lastSchedule),
            Printers.age(cronJob, now: now),
        ] + Printers.templateCells(jobSpec?.template) + [
            .string(Printers.formatLabelSelector(jobSpec?.selector)),
        ]
    }
}
