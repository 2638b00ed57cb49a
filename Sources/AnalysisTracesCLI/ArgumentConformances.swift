import AnalysisTraces
import ArgumentParser
import Logging

// The core library's option values, parsed from the command line. They live here so that the
// library does not depend on ArgumentParser.

extension CacheMode: ExpressibleByArgument {}
extension CodeStyle: ExpressibleByArgument {}
extension EpisodeGenStage.TeacherKind: ExpressibleByArgument {}
extension QuestionGeneration.SourceSelection: ExpressibleByArgument {}
extension SandboxIsolation: ExpressibleByArgument {}
extension StageFileChecker.Kind: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
