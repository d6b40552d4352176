/// Forms that `Assets/api-form.js` sends to the API as JSON (field names are paths in the body;
/// number inputs send numbers, `data-millis` date-times send milliseconds) and whose refusals show
/// under them in the page's language.
enum APIForm {
    /// The start of a form: where it goes (`method`, `endpoint`) and where a success goes (`next`,
    /// with `{id}` from the answer; nil: the page reloads).
    static func start(_ out: inout HTMLWriter, id: String, endpoint: String, method: String = "POST", next: String?, t: L10n) {
        out += #"<form class="api-form stack" id="\#(id)" novalidate data-method="\#(method == "PATCH" ? "PATCH" : "POST")" data-endpoint=""#
        out.appendEscaped(endpoint)
        if let next {
            out += #"" data-next=""#
            out.appendEscaped(next)
        }
        out += #"" data-saving=""#
        out.appendEscaped(t(.saving))
        out += #"" data-done=""#
        out.appendEscaped(t(.codesDone))
        out += #"" data-failed=""#
        out.appendEscaped(t(.saveFailed))
        out += #"">"#
    }

    /// The button and the line the outcome shows in, and the end of the form.
    static func end(_ out: inout HTMLWriter, button: String, secondary: Bool = false) {
        out += secondary ? #"<button type="submit" class="secondary">"# : #"<button type="submit">"#
        out += button
        out += #"</button><div class="outcome" role="status" aria-live="polite"></div></form>"#
    }
}
