/// How many flawed and self-correcting traces each template question gets (`NEGATIVES`,
/// `RECOVERIES`); `nil` in ``EpisodeGeneration`` turns the feature off.
public struct NegativePlan: Sendable, Equatable {
    public var negatives: Int
    public var recoveries: Int
    /// At most this many mistakes are tried per question, accepted or not.
    public var maxAttempts: Int

    public init(negatives: Int = 2, recoveries: Int = 1, maxAttempts: Int = 12) {
        self.negatives = negatives
        self.recoveries = recoveries
        self.maxAttempts = maxAttempts
    }

    /// Whether the plan asks for any trace at all.
    public var isActive: Bool { negatives > 0 || recoveries > 0 }
}

/// Writes the flawed and self-correcting traces of one template question after its gold trace,
/// on the gold trace's worker (see <doc:Negatives>).
///
/// Candidates are every (mistake, step) the catalogue's rewrites change, in an order that is a
/// pure function of the question id and the seed, one per mistake before a mistake is tried at
/// a second step. A flawed trace is kept when it submitted, its mistaken step changed a hooked
/// value, every earlier step's hooks agree with the gold trace's (so the mistaken step is the
/// first bad one) and its answer matches no accepted answer. A self-correcting trace is kept when
/// its mistaken step changed a hooked value, its check showed it, and it submitted an accepted
/// answer. Everything else is skipped, with the reason counted.
public struct NegativeTraceMaker: Sendable {
    public var plan: NegativePlan
    public var seed: Int
    public var catalog: [Mistake]

    public init(plan: NegativePlan, seed: Int, catalog: [Mistake] = MistakeCatalog.all) {
        self.plan = plan
        self.seed = seed
        self.catalog = catalog
    }

    /// The traces kept and the candidates skipped, by `<mistake>:<reason>`.
    public struct Result: Sendable {
        public var traces: [Trace] = []
        public var skipped: [String: Int] = [:]
    }

    /// Candidate applications in trial order.
    public func candidates(for instance: TemplateInstance, questionID: String) -> [MistakeApplication] {
        let perMistake = catalog
            .map { mistake in (rank: Self.rank("\(seed)/\(questionID)/\(mistake.id)"), applications: mistake.applications(to: instance)) }
            .filter { !$0.applications.isEmpty }
            .sorted { $0.rank < $1.rank }
            .map(\.applications)
        var ordered: [MistakeApplication] = []
        var round = 0
        while ordered.count < perMistake.reduce(0, { $0 + $1.count }) {
            for applications in perMistake where round < applications.count { ordered.append(applications[round]) }
            round += 1
        }
        return ordered
    }

    /// FNV-1a over the text: a stable order that does not depend on the platform's hashing.
    static func rank(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash
    }

    /// Runs the candidates for `gold` (a gold trace that verified) and returns the traces kept.
    public func traces(for question: Question, instance: TemplateInstance, gold: Trace, task: AgentTask,
                       loop: AgentLoop, promptVersion: String, executor: some CellExecutor) async throws -> Result {
        var result = Result()
        guard plan.isActive, let truth = question.groundTruth else { return result }
        let verifier = GroundTruthVerifier()
        func accepted(_ trace: Trace) -> Bool {
            guard trace.endReason == .submitted, let answer = trace.answer else { return false }
            if case .matches = verifier.check(answer.value, against: truth, schema: question.outputSchema) { return true }
            return false
        }
        var reference: [String: Hook] = [:]
        for turn in gold.turns {
            for hook in turn.hooks where hook.grounded { reference[hook.name] = hook }
        }
        func changesHooks(_ turn: Turn?) -> Bool {
            guard let turn else { return false }
            return turn.hooks.contains { hook in
                hook.grounded && reference[hook.name].map { !StepLabeler.hooksAgree(hook, $0) } == true
            }
        }
        func skip(_ application: MistakeApplication, _ reason: String) {
            result.skipped["\(application.mistake.id):\(reason)", default: 0] += 1
        }

        let candidates = candidates(for: instance, questionID: question.id)
        var attempts = 0
        var flawed = 0
        var usedForFlawed = Set<String>()
        for application in candidates where flawed < plan.negatives && attempts < plan.maxAttempts {
            guard !usedForFlawed.contains(application.mistake.id) else { continue }
            attempts += 1
            var flawedTask = task
            flawedTask.role = .flawed
            let teacher = MistakenProgramTeacher(promptVersion: promptVersion, steps: application.flawedSteps(of: instance), recovery: nil)
            var trace = try await loop.run(flawedTask, teacher: teacher, executor: executor)
            let k = application.step
            if trace.endReason != .submitted {
                skip(application, "program_failed")
            } else if !changesHooks(trace.turns.indices.contains(k) ? trace.turns[k] : nil) {
                skip(application, "no_hooked_value_changed")
            } else if trace.turns.prefix(k).contains(where: changesHooks) {
                skip(application, "earlier_step_disagrees")
            } else if accepted(trace) {
                skip(application, "answer_still_accepted")
            } else {
                trace.mistake = application.flawedRecord
                result.traces.append(trace)
                usedForFlawed.insert(application.mistake.id)
                flawed += 1
            }
        }

        var recovered = 0
        var usedForRecovery = Set<String>()
        for application in candidates.reversed() where recovered < plan.recoveries && attempts < plan.maxAttempts {
            guard application.step < instance.steps.count - 1, !usedForRecovery.contains(application.mistake.id) else { continue }
            guard let check = SelfCorrection.checkStep(after: application.step, original: application.original) else {
                skip(application, "nothing_to_check")
                continue
            }
            attempts += 1
            var steps = instance.steps
            steps[application.step] = application.mistaken
            steps.insert(contentsOf: [check, application.original], at: application.step + 1)
            var recoveryTask = task
            recoveryTask.role = .selfCorrecting
            let teacher = MistakenProgramTeacher(promptVersion: promptVersion, steps: steps, recovery: application)
            var trace = try await loop.run(recoveryTask, teacher: teacher, executor: executor)
            let k = application.step
            if !changesHooks(trace.turns.indices.contains(k) ? trace.turns[k] : nil) {
                skip(application, "no_hooked_value_changed")
            } else if trace.endReason != .submitted || !accepted(trace) {
                skip(application, "recovery_failed")
            } else {
                trace.mistake = application.selfCorrectingRecord
                result.traces.append(trace)
                usedForRecovery.insert(application.mistake.id)
                recovered += 1
            }
        }
        return result
    }
}
