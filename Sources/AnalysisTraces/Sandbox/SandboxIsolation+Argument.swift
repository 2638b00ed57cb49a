import ArgumentParser

extension SandboxIsolation: ExpressibleByArgument {}
