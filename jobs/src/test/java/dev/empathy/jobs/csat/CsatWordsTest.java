package dev.empathy.jobs.csat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary and charts say what the run held fixed and clustered by, not the defaults. */
class CsatWordsTest {

    @Test
    void theDefaultControlsReadAsBefore() {
        assertEquals("resolution time, channel, region, contact reason, segment, month and team type",
                CsatFiles.held(CsatEffect.Options.defaults().controls()));
    }

    @Test
    void otherControlsAreNamedAsGiven() {
        assertEquals("resolution time", CsatFiles.held(List.of()));
        assertEquals("resolution time and channel", CsatFiles.held(List.of("channel")));
        assertEquals("resolution time, segment and resolution-time band",
                CsatFiles.held(List.of("segment", "hours_band")));
    }

    @Test
    void theClusterColumnInWords() {
        assertEquals("agent", CsatFiles.clusterUnit("agent_id"));
        assertEquals("region", CsatFiles.clusterUnit("region"));
        assertEquals("team type", CsatFiles.clusterUnit("team_type"));
    }
}
