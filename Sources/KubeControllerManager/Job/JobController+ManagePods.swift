import Foundation
import KubeClient
import KubeModel

/// Creating and deleting a Job's pods (upstream's `manageJob`): as many active pods as
/// parallelism and the remaining completions allow, none while suspended, new ones only once
/// the failure backoff has passed, created in slow-start batches.
extension JobController {
    /// The active count after this sync's creations or deletions, and the first error.
    func manageJob(_ state: inout JobSyncState, key: String) async -> (active: Int32, error: (any Error)?) {
        let job = state.job
        var active = Int32(state.activePods.count)
        if JobSpecs.isSuspended(job) {
            let toDelete = Self.activePodsForRemoval(job, state.activePods, atLeast: Int(active))
            expectations.expect(key, deletes: toDelete.count)
            let (removedReady, removed, error) = await deleteJobPods(job, key: key, toDelete)
            state.terminating += removed
            state.ready -= removedReady
            return (active - removed, error)
        }
        let parallelism = JobSpecs.parallelism(job)
        var wantActive: Int32
        if let completions = job.spec.completions {
            wantActive = max(0, min(completions - state.succeeded, parallelism))
        } else {
            wantActive = state.succeeded > 0 ? active : parallelism
        }
        var toDelete = Self.activePodsForRemoval(job, state.activePods, atLeast: Int(max(0, active - wantActive)))
        if toDelete.count > Self.maxPodCreateDeletePerSync { toDelete = Array(toDelete.prefix(Self.maxPodCreateDeletePerSync)) }
        if !toDelete.isEmpty {
            // Deletions take precedence: no pod is created in the same sync.
            expectations.expect(key, deletes: toDelete.count)
            let (removedReady, removed, error) = await deleteJobPods(job, key: key, toDelete)
            state.terminating += removed
            state.ready -= removedReady
            return (active - removed, error)
        }
        let terminating = JobSpecs.onlyReplacesFailedPods(job) ? state.terminating : 0
        var diff = Int(wantActive - terminating - active)
        guard diff > 0 else { return (active, nil) }
        if !JobSpecs.hasBackoffLimitPerIndex(job) {
            let remaining = state.newBackoffRecord.remainingTime(now: now())
            if remaining > .zero {
                queue.addAfter(key, max(remaining, Self.syncBatchPeriod))
                return (0, nil)
            }
        }
        diff = min(diff, Self.maxPodCreateDeletePerSync)
        var indexes: [Int] = []
        if JobSpecs.isIndexed(job) {
            indexes = Self.firstPendingIndexes(state, count: diff)
            if JobSpecs.hasBackoffLimitPerIndex(job) {
                let (ready, wait) = indexesReadyForCreation(indexes, state.podsWithDelayedDeletionPerIndex)
                if wait > .zero {
                    queue.addAfter(key, max(wait, Self.syncBatchPeriod))
                    return (0, nil)
                }
                indexes = ready
            }
            diff = indexes.count
        }
        expectations.expect(key, adds: diff)
        active += Int32(diff)
        let templates = (0..<diff).map { podTemplate(job, index: indexes.isEmpty ? nil : indexes[$0], state: state) }
        var firstError: (any Error)?
        var start = 0
        var batchSize = min(diff, 1)
        while start < diff {
            let batch = Array(templates[start..<(start + batchSize)])
            let failures = await createPods(batch, job: job, key: key)
            active -= Int32(failures.count)
            if firstError == nil { firstError = failures.first }
            start += batchSize
            if !failures.isEmpty && start < diff {
                // Slow start: after a failed batch the rest are not attempted.
                let skipped = diff - start
                active -= Int32(skipped)
                for _ in 0..<skipped { expectations.creationObserved(key) }
                break
            }
            batchSize = min(2 * batchSize, diff - start)
        }
        return (active, firstError)
    }

    /// With `backoffLimitPerIndex`: the indexes whose own backoff has passed, else the shortest wait.
    func indexesReadyForCreation(_ indexes: [Int], _ delayed: [Int: CoreV1.Pod]) -> ([Int], Duration) {
        var ready: [Int] = []
        var shortest: Duration?
        for index in indexes {
            var wait = Duration.zero
            if let failed = delayed[index] {
                wait = JobBackoffRecord.remainingTime(failures: Self.absoluteFailureCount(failed) + 1,
                                                      lastFailure: JobPods.finishedTime(failed), now: now())
            }
            if wait == .zero {
                ready.append(index)
            } else if shortest == nil || wait < shortest! {
                shortest = wait
            }
        }
        return ready.isEmpty ? ([], shortest ?? .zero) : (ready, .zero)
    }

    /// A pod for `job` (and completion `index`): the template's labels, annotations and spec,
    /// the tracking finalizer, the controller reference, `generateName` `<job>-` or `<job>-<index>-`.
    func podTemplate(_ job: BatchV1.Job, index: Int?, state: JobSyncState) -> CoreV1.Pod {
        let jobName = job.metadata.name ?? ""
        let template = job.spec.template.metadata ?? MetaV1.ObjectMeta()
        var pod = CoreV1.Pod()
        pod.metadata.namespace = job.metadata.namespace
        pod.metadata.labels = template.labels
        pod.metadata.annotations = template.annotations
        var finalizers = template.finalizers ?? []
        if !finalizers.contains(JobPods.trackingFinalizer) { finalizers.append(JobPods.trackingFinalizer) }
        pod.metadata.finalizers = finalizers
        pod.metadata.ownerReferences = [OwnerReferences.controllerReference(to: job)]
        pod.spec = job.spec.template.spec ?? CoreV1.PodSpec()
        guard let index else {
            pod.metadata.generateName = Self.generateName(prefix: "\(jobName)-", suffix: "")
            return pod
        }
        pod.metadata.annotations = (pod.metadata.annotations ?? [:]).merging([JobPods.completionIndexAnnotation: String(index)]) { $1 }
        pod.metadata.labels = (pod.metadata.labels ?? [:]).merging([JobPods.completionIndexAnnotation: String(index)]) { $1 }
        pod.spec.hostname = "\(jobName)-\(index)"
        pod.metadata.generateName = Self.generateName(prefix: jobName, suffix: "-\(index)-")
        let fieldPath = "metadata.labels['\(JobPods.completionIndexAnnotation)']"
        func withIndexVariable(_ container: CoreV1.Container) -> CoreV1.Container {
            var container = container
            var env = container.env ?? []
            if !env.contains(where: { $0.name == JobPods.completionIndexEnvName }) {
                env.append(CoreV1.EnvVar(name: JobPods.completionIndexEnvName,
                                         valueFrom: CoreV1.EnvVarSource(fieldRef: CoreV1.ObjectFieldSelector(fieldPath: fieldPath))))
            }
            container.env = env
            return container
        }
        pod.spec.containers = pod.spec.containers.map(withIndexVariable)
        pod.spec.initContainers = pod.spec.initContainers?.map(withIndexVariable)
        if JobSpecs.hasBackoffLimitPerIndex(job) {
            var failures: Int32 = 0, ignored: Int32 = 0
            if let replaced = state.podsWithDelayedDeletionPerIndex[index] {
                failures = Self.annotationCount(replaced, JobPods.indexFailureCountAnnotation)
                ignored = Self.annotationCount(replaced, JobPods.indexIgnoredFailureCountAnnotation)
                if JobPodFailurePolicy.match(job.spec.podFailurePolicy, replaced).countsFailure { failures += 1 } else { ignored += 1 }
            }
            pod.metadata.annotations?[JobPods.indexFailureCountAnnotation] = String(failures)
            if ignored > 0 { pod.metadata.annotations?[JobPods.indexIgnoredFailureCountAnnotation] = String(ignored) }
        }
        return pod
    }

    /// `prefix + suffix`, the prefix cut so the whole fits a generated name (58 characters).
    static func generateName(prefix: String, suffix: String) -> String {
        let limit = 58
        guard prefix.count + suffix.count > limit else { return prefix + suffix }
        return String(prefix.prefix(max(0, limit - suffix.count))) + suffix
    }

    /// Creates `batch` concurrently; answers the errors (each failure settles its expectation).
    func createPods(_ batch: [CoreV1.Pod], job: BatchV1.Job, key: String) async -> [any Error] {
        await withTaskGroup(of: (any Error)?.self) { group in
            for pod in batch {
                group.addTask {
                    do {
                        let created = try await client.create(pod)
                        events.event(job, type: .normal, reason: "SuccessfulCreate", message: "Created pod: \(created.metadata.name ?? "")")
                        return nil
                    } catch let error as StatusError where error.message.contains("being terminated") {
                        // The namespace is going away: every later creation fails too.
                        return nil
                    } catch {
                        events.event(job, type: .warning, reason: "FailedCreate", message: "Error creating: \(error)")
                        expectations.creationObserved(key)
                        return error
                    }
                }
            }
            var errors: [any Error] = []
            for await error in group { if let error { errors.append(error) } }
            return errors
        }
    }

    /// Drops the finalizer of, then deletes, each pod; answers (ready pods removed, pods
    /// removed, first error).
    func deleteJobPods(_ job: BatchV1.Job, key: String, _ targets: [CoreV1.Pod]) async -> (Int32, Int32, (any Error)?) {
        await withTaskGroup(of: (removed: Bool, ready: Bool, error: (any Error)?).self) { group in
            for pod in targets {
                group.addTask {
                    let namespace = pod.metadata.namespace ?? "", name = pod.metadata.name ?? ""
                    do {
                        if JobPods.hasTrackingFinalizer(pod) {
                            _ = try await client.patch(CoreV1.Pod.self, namespace: namespace, name: name, Self.removeFinalizerPatch)
                        }
                        try await client.delete(CoreV1.Pod.self, namespace: namespace, name: name, DeleteOptions())
                        events.event(job, type: .normal, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
                        return (true, JobPods.isReady(pod), nil)
                    } catch let error as StatusError where error.isNotFound {
                        expectations.deletionObserved(key)
                        return (true, JobPods.isReady(pod), nil)
                    } catch {
                        expectations.deletionObserved(key)
                        events.event(job, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                        return (false, false, error)
                    }
                }
            }
            var ready: Int32 = 0, removed: Int32 = 0
            var firstError: (any Error)?
            for await result in group {
                if result.removed { removed += 1 }
                if result.ready { ready += 1 }
                if firstError == nil { firstError = result.error }
            }
            return (ready, removed, firstError)
        }
    }

    /// Deletes the active pods of a Job that is finishing, keeping their finalizers (they
    /// are removed once the pods are counted).
    func deleteActivePods(_ job: BatchV1.Job, _ targets: [CoreV1.Pod]) async -> (Int32, Int32, (any Error)?) {
        await withTaskGroup(of: (removed: Bool, ready: Bool, error: (any Error)?).self) { group in
            for pod in targets {
                group.addTask {
                    let name = pod.metadata.name ?? ""
                    do {
                        try await client.delete(CoreV1.Pod.self, namespace: pod.metadata.namespace, name: name, DeleteOptions())
                        events.event(job, type: .normal, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
                    } catch let error as StatusError where error.isNotFound {
                    } catch {
                        events.event(job, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                        return (false, JobPods.isReady(pod), error)
                    }
                    return (true, JobPods.isReady(pod), nil)
                }
            }
            var ready: Int32 = 0, removed: Int32 = 0
            var firstError: (any Error)?
            for await result in group {
                if result.removed { removed += 1 }
                if result.ready { ready += 1 }
                if firstError == nil { firstError = result.error }
            }
            return (ready, removed, firstError)
        }
    }

    /// The active pods to delete: for Indexed Jobs first those without a valid or with a
    /// repeated index, then, in removal order, enough to get down by `atLeast`.
    static func activePodsForRemoval(_ job: BatchV1.Job, _ pods: [CoreV1.Pod], atLeast: Int) -> [CoreV1.Pod] {
        var remove: [CoreV1.Pod] = []
        var left = pods
        if JobSpecs.isIndexed(job) {
            let split = duplicateIndexPodsForRemoval(pods, completions: Int(job.spec.completions ?? 0))
            remove = split.remove
            left = split.keep
        }
        if remove.count < atLeast {
            left.sort(by: JobPods.removedFirst)
            remove += left.prefix(atLeast - remove.count)
        }
        return remove
    }
}
