package dev.empathy.jobs.verbatims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.lib.text.Codebooks;
import dev.empathy.lib.text.PiiCounts;
import dev.empathy.lib.text.Redacted;
import dev.empathy.lib.text.Redactor;
import dev.empathy.lib.text.VerbatimCoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark-free checks behind {@link VerbatimsIT}: every text of its fixture gets the code the IT's
 * hand derivation assumes from the shipped codebooks, its personal data is what the IT counts,
 * and a bad {@code --codebook} is a usage error that names the option, the file and the line.
 */
class VerbatimsFixtureTest {

    private static final Map<String, VerbatimCoder> CODERS = Codebooks.defaults().coders();

    private static String code(String language, String text) {
        return CODERS.get(language).code(text).label();
    }

    @Test
    void theFixtureTurnsHaveTheirObviousCodes() {
        for (String hostile : new String[] {"This is ridiculous.", "Your service is useless.", "This is terrible.",
            "Still terrible, useless.", "This is awful."}) {
            assertEquals("hostile", code("en", hostile), hostile);
        }
        for (String cooperative : new String[] {"Thank you so much, that helps.", "Thanks, great.", "Thank you.",
            "Thanks for your help."}) {
            assertEquals("cooperative", code("en", cooperative), cooperative);
        }
        assertEquals("neutral", code("en", VerbatimsIT.PII_TURN));
        assertEquals("unclear", code("en", "ok"));
        assertEquals("unclear", code("en", "hm"));
        for (String hostile : new String[] {"Das ist eine Frechheit.", "Das ist inakzeptabel.", "Das ist lächerlich."}) {
            assertEquals("hostile", code("de", hostile), hostile);
        }
        assertEquals("cooperative", code("de", "Vielen Dank, super."));
        assertEquals("cooperative", code("de", "Danke schön."));
        assertEquals("neutral", code("de", "Ich warte noch auf die Rechnung."));
    }

    @Test
    void theFixturePersonalDataIsWhatTheItCounts() {
        Redacted customer = Redactor.redact(VerbatimsIT.PII_TURN);
        assertEquals(VerbatimsIT.PII_TURN_REDACTED, customer.text());
        assertEquals(new PiiCounts(1, 1, 1, 0), customer.counts());
        assertTrue(Redactor.luhn("4111 1111 1111 1111"));
        Redacted agent = Redactor.redact(VerbatimsIT.PII_AGENT_TURN);
        assertEquals("Your refund goes to [IBAN]; write to [EMAIL].", agent.text());
        assertEquals(new PiiCounts(1, 0, 0, 1), agent.counts());
    }

    @Test
    void aBadCodebookIsAUsageErrorNamingTheOptionFileAndLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("en.csv"), "kind,pattern,code,weight\nword,awful,hostil,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Verbatims(dir.toString(), 3));
        assertTrue(e.getMessage().startsWith("--codebook: codebook " + dir.resolve("en.csv") + ", line 2: code "
                + "'hostil'"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new Verbatims(dir.resolve("absent").toString(), 3));
        assertTrue(missing.getMessage().startsWith("--codebook: "), missing.getMessage());
        IllegalArgumentException examples = assertThrows(IllegalArgumentException.class,
                () -> Verbatims.DEFINITION.create(Map.of("examples", "-1")));
        assertEquals("--examples: examples per language and code must be 0 to 50, got -1", examples.getMessage());
    }

    @Test
    void aTeamCodebookReplacesItsLanguageOnly(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("en.csv"), "kind,pattern,code,weight\nword,meh,hostile,1\n");
        Verbatims job = new Verbatims(dir.toString(), 3);
        assertEquals(java.util.List.of("de", "en", "es", "fr", "ja", "pt"), job.options().get("languages"));
        assertEquals(dir.toString(), job.options().get("codebook"));
    }
}
