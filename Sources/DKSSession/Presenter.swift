// Presenter: how the prompt echoes a statement's value — repr by default; the containers layer
// supplies one-line container summaries and `docker ps`-like tables through `ValuePresenter`.
// Must not: print (the prompt loop writes what this returns) or call the engine for plain values.
import DKSLanguage

/// Turns a statement's value into the text the prompt echoes.
public protocol ValuePresenter {
    /// The text to print for `value` (without a trailing newline), or nil to use the repr form.
    func present(_ value: Value) -> String?
}

/// The default: every value in repr form.
public struct ReprPresenter: ValuePresenter {
    public init() {}
    public func present(_ value: Value) -> String? { nil }
}

/// Chains presenters: the first that answers wins (the containers layer can put its own first).
public struct PresenterChain: ValuePresenter {
    public var presenters: [ValuePresenter]
    public init(_ presenters: [ValuePresenter]) { self.presenters = presenters }
    public func present(_ value: Value) -> String? {
        for p in presenters { if let text = p.present(value) { return text } }
        return nil
    }
}

/// What an interactive session shows after a statement.
public enum Echo {
    /// What the prompt prints after a statement: nothing for null, else the presenter's text or repr.
    public static func text(for value: Value?, presenter: ValuePresenter) -> String? {
        guard let value else { return nil }
        switch value {
        case .null, .undefined: return nil
        default: return presenter.present(value) ?? value.repr
        }
    }
}
