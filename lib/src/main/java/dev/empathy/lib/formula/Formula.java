package dev.empathy.lib.formula;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An R- and patsy-style model formula: {@code y ~ a + b}, {@code a:b} (interaction),
 * {@code a*b} (= {@code a + b + a:b}), {@code C(x)} (categorical, treatment-coded with the first
 * level in sorted order as reference, as R does), {@code log(x)}, {@code - 1} or {@code + 0}
 * (no intercept), and {@code Surv(time, event) ~ ...} for survival models, or
 * {@code Surv(start, stop, event) ~ ...} for counting-process data (each row at risk over
 * {@code (start, stop]}, as R's survival package).
 *
 * @param response    the response column ({@code time}, or {@code stop}, for survival models)
 * @param event       the event column of {@code Surv(time, event)}, null otherwise
 * @param logResponse whether the response is {@code log(y)}
 * @param terms       the right-hand side terms in order, without repeats
 * @param intercept   whether the model has an intercept
 * @param start       the entry-time column of {@code Surv(start, stop, event)}, null otherwise
 */
public record Formula(String response, String event, boolean logResponse, List<Term> terms, boolean intercept,
                      String start) implements Serializable {

    public Formula {
        terms = List.copyOf(terms);
    }

    /** A formula without entry times. */
    public Formula(String response, String event, boolean logResponse, List<Term> terms, boolean intercept) {
        this(response, event, logResponse, terms, intercept, null);
    }

    public boolean isSurvival() {
        return event != null;
    }

    /** Every column the formula reads, response first (after the entry time, if any). */
    public List<String> columns() {
        Set<String> columns = new LinkedHashSet<>();
        if (start != null) {
            columns.add(start);
        }
        columns.add(response);
        if (event != null) {
            columns.add(event);
        }
        for (Term t : terms) {
            t.factors().forEach(f -> columns.add(f.column()));
        }
        return List.copyOf(columns);
    }

    public String responseLabel() {
        if (event != null) {
            return "Surv(" + (start == null ? "" : start + ", ") + response + ", " + event + ")";
        }
        return logResponse ? "log(" + response + ")" : response;
    }

    @Override
    public String toString() {
        List<String> rhs = new ArrayList<>();
        terms.forEach(t -> rhs.add(t.label()));
        if (!intercept && event == null) {
            rhs.add("- 1");
        }
        return responseLabel() + " ~ " + (rhs.isEmpty() ? "1" : String.join(" + ", rhs).replace("+ - 1", "- 1"));
    }

    public static Formula parse(String text) {
        return new Parser(text).formula();
    }

    /** A small recursive-descent parser over the formula text. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text == null ? "" : text;
        }

        Formula formula() {
            int tilde = text.indexOf('~');
            if (tilde < 0) {
                throw error("a formula needs '~' between the response and the terms, as in 'y ~ x + C(g)'");
            }
            skip();
            String response;
            String event = null;
            String start = null;
            boolean logResponse = false;
            String name = name("the response");
            if (name.equals("Surv") && peek('(')) {
                expect('(');
                response = name("the time column of Surv(time, event)");
                expect(',');
                event = name("the event column of Surv(time, event)");
                skip();
                if (peek(',')) {
                    // Surv(start, stop, event): the names move one place along.
                    expect(',');
                    start = response;
                    response = event;
                    event = name("the event column of Surv(start, stop, event)");
                }
                expect(')');
            } else if (name.equals("log") && peek('(')) {
                expect('(');
                response = name("the column inside log()");
                expect(')');
                logResponse = true;
            } else {
                response = name;
            }
            expect('~');
            List<List<Factor>> products = new ArrayList<>();
            boolean intercept = true;
            boolean first = true;
            while (true) {
                skip();
                if (at >= text.length()) {
                    break;
                }
                char sign = '+';
                if (!first || peek('-') || peek('+')) {
                    if (peek('+') || peek('-')) {
                        sign = text.charAt(at++);
                    } else {
                        throw error("expected '+' or '-' between terms");
                    }
                }
                first = false;
                skip();
                if (peek('0') || peek('1')) {
                    char digit = text.charAt(at++);
                    boolean one = digit == '1';
                    intercept = sign == '+' ? one : !one;
                    continue;
                }
                List<List<Factor>> expanded = product();
                if (sign == '-') {
                    products.removeAll(expanded);
                } else {
                    for (List<Factor> p : expanded) {
                        if (!products.contains(p)) {
                            products.add(p);
                        }
                    }
                }
            }
            // Main effects before interactions, otherwise in order of appearance (as R and patsy).
            products.sort(java.util.Comparator.comparingInt(List::size));
            List<Term> terms = new ArrayList<>();
            products.forEach(p -> terms.add(new Term(p)));
            if (event != null && intercept && !terms.isEmpty()) {
                intercept = false; // a Cox model has no intercept; Kaplan-Meier uses ~ 1 or ~ C(group)
            }
            return new Formula(response, event, logResponse, terms, intercept, start);
        }

        /** {@code a:b*c}: a list of products, '*' expanded into every combination. */
        private List<List<Factor>> product() {
            List<List<Factor>> result = new ArrayList<>();
            result.add(List.of(factor()));
            while (true) {
                skip();
                if (peek(':')) {
                    at++;
                    Factor f = factor();
                    List<List<Factor>> next = new ArrayList<>();
                    for (List<Factor> p : result) {
                        next.add(append(p, f));
                    }
                    result = next;
                } else if (peek('*')) {
                    at++;
                    Factor f = factor();
                    List<List<Factor>> next = new ArrayList<>(result);
                    next.add(List.of(f));
                    for (List<Factor> p : result) {
                        next.add(append(p, f));
                    }
                    result = next;
                } else {
                    return result;
                }
            }
        }

        private static List<Factor> append(List<Factor> product, Factor f) {
            List<Factor> out = new ArrayList<>(product);
            if (!out.contains(f)) {
                out.add(f);
            }
            return out;
        }

        private Factor factor() {
            String name = name("a column name");
            if (peek('(')) {
                expect('(');
                String column = name("the column inside " + name + "()");
                expect(')');
                return switch (name) {
                    case "C" -> new Factor.Categorical(column);
                    case "log" -> new Factor.Log(column);
                    default -> throw error("unknown function " + name + "(); the formula language has C() and log()");
                };
            }
            return new Factor.Numeric(name);
        }

        private String name(String what) {
            skip();
            int start = at;
            if (at < text.length() && text.charAt(at) == '`') {
                int end = text.indexOf('`', at + 1);
                if (end < 0) {
                    throw error("unclosed back-quote");
                }
                at = end + 1;
                return text.substring(start + 1, end);
            }
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                    || text.charAt(at) == '.')) {
                at++;
            }
            if (start == at) {
                throw error("expected " + what);
            }
            return text.substring(start, at);
        }

        private boolean peek(char c) {
            skip();
            return at < text.length() && text.charAt(at) == c;
        }

        private void expect(char c) {
            skip();
            if (at >= text.length() || text.charAt(at) != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        private void skip() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private FormulaException error(String message) {
            return new FormulaException(String.format(Locale.ROOT, "formula '%s': %s at position %d", text, message,
                    at + 1));
        }
    }
}
