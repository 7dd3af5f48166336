package dev.empathy.lib.contract;

import static dev.empathy.lib.contract.ColumnSpec.optional;
import static dev.empathy.lib.contract.ColumnSpec.required;
import static dev.empathy.lib.contract.Kind.BOOLEAN;
import static dev.empathy.lib.contract.Kind.DOUBLE;
import static dev.empathy.lib.contract.Kind.INT;
import static dev.empathy.lib.contract.Kind.LONG;
import static dev.empathy.lib.contract.Kind.STRING;
import static dev.empathy.lib.contract.Kind.TIMESTAMP;
import static dev.empathy.lib.contract.Rule.atLeastZero;
import static dev.empathy.lib.contract.Rule.oneOf;
import static dev.empathy.lib.contract.Rule.present;
import static dev.empathy.lib.contract.Rule.range;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The input tables of the data contract (section 1 of {@code data-contract.md}), as data: the
 * generator writes them and the input layer checks them from this one definition.
 */
public final class Contract {

    /** The reject reason of a row whose key repeats one kept earlier. */
    public static final String DUPLICATE_ID = "duplicate_id";
    /** The reject reason of a row whose interaction_id matches no used interaction. */
    public static final String UNKNOWN_INTERACTION = "unknown_interaction";

    public static final TableSpec INTERACTIONS = new TableSpec("interactions", true, List.of(
            required("interaction_id", STRING, present()),
            required("customer_id", STRING, present()),
            required("agent_id", STRING, present()),
            required("started_at", TIMESTAMP, present()),
            required("channel", STRING, present()),
            required("region", STRING, present()),
            required("team_type", STRING, present(), oneOf("in_house", "outsourced")),
            optional("contact_reason", STRING),
            optional("handle_seconds", DOUBLE, atLeastZero()),
            required("resolved", BOOLEAN, present()),
            optional("resolution_hours", DOUBLE, atLeastZero()),
            optional("empathy_score", DOUBLE, range(0, 100)),
            required("empathy_documented", BOOLEAN, present()),
            optional("escalated", BOOLEAN),
            optional("language", STRING),
            optional("is_public", BOOLEAN),
            optional("audience_reach", LONG, atLeastZero()),
            optional("first_response_minutes", DOUBLE, atLeastZero())),
            List.of("interaction_id"), List.of("started_at"), false);

    public static final TableSpec CSAT = new TableSpec("csat", false, List.of(
            required("interaction_id", STRING, present()),
            required("csat", INT, present(), range(1, 5)),
            optional("responded_at", TIMESTAMP)),
            List.of("interaction_id"), List.of("responded_at"), true);

    public static final TableSpec TURNS = new TableSpec("turns", false, List.of(
            required("interaction_id", STRING, present()),
            required("turn_index", INT, present(), atLeastZero()),
            required("speaker", STRING, present(), oneOf("customer", "agent")),
            required("text", STRING),
            optional("sentiment", DOUBLE, range(-1, 1)),
            optional("at", TIMESTAMP)),
            List.of("interaction_id", "turn_index"), List.of("at"), true);

    public static final TableSpec CUSTOMERS = new TableSpec("customers", false, List.of(
            required("customer_id", STRING, present()),
            required("segment", STRING, present()),
            optional("signup_at", TIMESTAMP),
            optional("churned_at", TIMESTAMP),
            optional("emotional_opt_out", BOOLEAN),
            optional("country", STRING)),
            List.of("customer_id"), List.of("signup_at"), false);

    public static final TableSpec AGENTS = new TableSpec("agents", false, List.of(
            required("agent_id", STRING, present()),
            required("team_type", STRING, present(), oneOf("in_house", "outsourced")),
            optional("site", STRING),
            optional("region", STRING),
            optional("hired_at", TIMESTAMP),
            optional("empathy_trained_at", TIMESTAMP)),
            List.of("agent_id"), List.of("hired_at"), false);

    public static final TableSpec SHIFTS = new TableSpec("shifts", false, List.of(
            required("shift_id", STRING, present()),
            required("agent_id", STRING, present()),
            required("start_at", TIMESTAMP, present()),
            required("end_at", TIMESTAMP, present(), new Rule.After("start_at")),
            optional("queue", STRING)),
            List.of("shift_id"), List.of("start_at"), false);

    public static final TableSpec QA_RATINGS = new TableSpec("qa_ratings", false, List.of(
            required("interaction_id", STRING, present()),
            required("rater_id", STRING, present()),
            required("rater_team", STRING, present(), oneOf("in_house", "outsourced", "calibration")),
            required("empathy_score", DOUBLE, present(), range(0, 100)),
            optional("rated_at", TIMESTAMP)),
            List.of(), List.of(), true);

    public static final TableSpec AGENT_PULSE = new TableSpec("agent_pulse", false, List.of(
            required("agent_id", STRING, present()),
            required("surveyed_at", TIMESTAMP, present()),
            required("fatigue", INT, present(), range(1, 5))),
            List.of(), List.of(), false);

    /** Every table, in the order the input layer reads them (interactions first: others refer to it). */
    public static final List<TableSpec> TABLES = List.of(
            INTERACTIONS, CSAT, TURNS, CUSTOMERS, AGENTS, SHIFTS, QA_RATINGS, AGENT_PULSE);

    private Contract() {
    }

    public static TableSpec table(String name) {
        return TABLES.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no contract table named " + name));
    }
}
