package dev.empathy.lib.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract only grows: these are the released tables and columns of
 * {@code data-contract.md} section 1. A failure here means a rename or a removal, which would
 * break the teams that write to the toolkit.
 */
class ContractTest {

    @Test
    void releasedTablesAndColumnsAreAllStillThere() {
        Map<String, List<String>> released = Map.of(
                "interactions", List.of("interaction_id", "customer_id", "agent_id", "started_at", "channel", "region",
                        "team_type", "contact_reason", "handle_seconds", "resolved", "resolution_hours", "empathy_score",
                        "empathy_documented", "escalated", "language", "is_public", "audience_reach",
                        "first_response_minutes"),
                "csat", List.of("interaction_id", "csat", "responded_at"),
                "turns", List.of("interaction_id", "turn_index", "speaker", "text", "sentiment", "at"),
                "customers", List.of("customer_id", "segment", "signup_at", "churned_at", "emotional_opt_out", "country"),
                "agents", List.of("agent_id", "team_type", "site", "region", "hired_at", "empathy_trained_at"),
                "shifts", List.of("shift_id", "agent_id", "start_at", "end_at", "queue"),
                "qa_ratings", List.of("interaction_id", "rater_id", "rater_team", "empathy_score", "rated_at"),
                "agent_pulse", List.of("agent_id", "surveyed_at", "fatigue"));
        for (var e : released.entrySet()) {
            List<String> columns = Contract.table(e.getKey()).columnNames();
            assertTrue(columns.containsAll(e.getValue()), e.getKey() + " lost a column: " + columns);
        }
        assertEquals(released.keySet(), Contract.TABLES.stream().map(TableSpec::name).collect(Collectors.toSet()));
        assertTrue(Contract.INTERACTIONS.required());
        assertEquals(1, Contract.TABLES.stream().filter(TableSpec::required).count(), "only interactions is required");
    }

    @Test
    void requiredColumnsAndKindsMatchTheContract() {
        String described = Contract.TABLES.stream()
                .flatMap(t -> t.columns().stream().filter(ColumnSpec::required)
                        .map(c -> t.name() + "." + c.name() + ":" + c.kind().label()))
                .collect(Collectors.joining(" "));
        assertEquals("interactions.interaction_id:string interactions.customer_id:string interactions.agent_id:string "
                + "interactions.started_at:timestamp interactions.channel:string interactions.region:string "
                + "interactions.team_type:string interactions.resolved:boolean interactions.empathy_documented:boolean "
                + "csat.interaction_id:string csat.csat:int turns.interaction_id:string turns.turn_index:int "
                + "turns.speaker:string turns.text:string customers.customer_id:string customers.segment:string "
                + "agents.agent_id:string agents.team_type:string shifts.shift_id:string shifts.agent_id:string "
                + "shifts.start_at:timestamp shifts.end_at:timestamp qa_ratings.interaction_id:string "
                + "qa_ratings.rater_id:string qa_ratings.rater_team:string qa_ratings.empathy_score:double "
                + "agent_pulse.agent_id:string agent_pulse.surveyed_at:timestamp agent_pulse.fatigue:int", described);
    }

    @Test
    void reasonsAreNamedAfterRuleAndColumn() {
        assertEquals("missing_customer_id", Rule.present().reason("customer_id"));
        assertEquals("out_of_range_csat", Rule.range(1, 5).reason("csat"));
        assertEquals("invalid_team_type", Rule.oneOf("in_house", "outsourced").reason("team_type"));
        assertEquals("end_at_not_after_start_at", new Rule.After("start_at").reason("end_at"));
        assertEquals("1..5", Rule.range(1, 5).describe());
        assertEquals(">= 0", Rule.atLeastZero().describe());
        assertEquals("-1..1", Rule.range(-1, 1).describe());
    }
}
