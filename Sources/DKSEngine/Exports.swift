// Exports: the engine layer re-exports DKSSupport, whose JSON, Deadline and Interruption
// appear in the ContainerEngine protocol, so users of the protocol need one import.
@_exported import DKSSupport
