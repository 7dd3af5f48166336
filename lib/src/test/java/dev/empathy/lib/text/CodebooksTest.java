package dev.empathy.lib.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodebooksTest {

    private static final String HEADER = "kind,pattern,code,weight\n";

    @Test
    void everyShippedLanguageLoadsWithCuesEmpathyPhrasesAndItsSettings() {
        Codebooks shipped = Codebooks.defaults();
        assertEquals(Set.copyOf(Codebooks.SHIPPED), shipped.languages());
        for (Codebook book : shipped.all().values()) {
            // Japanese writes every cue as a word: with character segmentation both match as substrings.
            for (Codebook.Kind kind : List.of(Codebook.Kind.WORD, Codebook.Kind.NEGATION,
                    Codebook.Kind.INTENSIFIER, Codebook.Kind.CONTRAST, Codebook.Kind.EMPATHY_PHRASE)) {
                assertTrue(book.rules().stream().anyMatch(r -> r.kind() == kind), book.language() + " has no " + kind);
            }
            for (VerbatimCode code : List.of(VerbatimCode.HOSTILE, VerbatimCode.NEUTRAL, VerbatimCode.COOPERATIVE)) {
                assertTrue(book.rules().stream().anyMatch(r -> r.code() == code), book.language() + " has no " + code);
            }
        }
        Codebook ja = shipped.forLanguage("ja").orElseThrow();
        assertEquals(Codebook.Segmentation.CHARACTERS, ja.settings().segmentation());
        assertEquals(Codebook.NegationScope.AFTER, ja.settings().negationScope());
        assertFalse(shipped.forLanguage("de").orElseThrow().settings().foldAccents());
        assertTrue(shipped.forLanguage("es").orElseThrow().settings().foldAccents());
    }

    @Test
    void aLanguageTagFindsItsPrimaryLanguage() {
        Codebooks shipped = Codebooks.defaults();
        assertEquals("pt", shipped.forLanguage("pt-BR").orElseThrow().language());
        assertEquals("en", shipped.forLanguage("en_GB").orElseThrow().language());
        assertEquals("de", shipped.forLanguage(" DE ").orElseThrow().language());
        assertTrue(shipped.forLanguage("sv").isEmpty());
    }

    @Test
    void aFolderOfCodebooksLoadsAndOverridesTheDefaults(@TempDir Path dir) throws IOException {
        write(dir, "en.csv", """
                # A team's own English codebook: comments and blank lines are allowed.

                kind,pattern,code,weight,note
                word,brilliant,cooperative,2,a note column is ignored
                negation,not,,
                setting,min_words,2,
                """);
        write(dir, "sv.csv", HEADER + "word,tack,cooperative,1\n");
        write(dir, "notes.txt", "not a codebook");
        Codebooks mine = Codebooks.load(dir);
        assertEquals(Set.of("en", "sv"), mine.languages());
        Codebook en = mine.forLanguage("en").orElseThrow();
        assertEquals(new Codebook.Rule(Codebook.Kind.WORD, "brilliant", VerbatimCode.COOPERATIVE, 2, 4),
                en.rules().get(0));
        assertEquals(5, en.rules().get(1).line());
        assertEquals(2, en.settings().minWords());
        assertEquals(Codebook.Settings.defaults().negationWindow(), en.settings().negationWindow());
        assertEquals(VerbatimCode.HOSTILE, VerbatimCoder.of(en).code("not brilliant"));

        Codebooks merged = Codebooks.defaults().overriddenBy(mine);
        assertEquals(7, merged.languages().size());
        assertEquals(en, merged.forLanguage("en").orElseThrow());
        assertEquals(Codebooks.defaults().forLanguage("fr"), merged.forLanguage("fr"));
    }

    @Test
    void theShippedFilesCopiedToAFolderLoadAsTheDefaults(@TempDir Path dir) throws IOException {
        for (String language : Codebooks.SHIPPED) {
            try (var in = Codebooks.class.getResourceAsStream(Codebooks.RESOURCES + language + ".csv")) {
                Files.write(dir.resolve(language + ".csv"), in.readAllBytes());
            }
        }
        Codebooks copy = Codebooks.load(dir);
        Codebooks shipped = Codebooks.defaults();
        for (String language : Codebooks.SHIPPED) {
            assertEquals(shipped.forLanguage(language).orElseThrow().rules(),
                    copy.forLanguage(language).orElseThrow().rules());
        }
    }

    @Test
    void badRulesAreReportedWithFileLineAndRule(@TempDir Path dir) throws IOException {
        assertError(dir, HEADER + "# fine so far\n\n# another comment\nword,awful,hostil,1\n",
                "codebook %s, line 5: code 'hostil' is not one of hostile, neutral, cooperative (unclear is what a "
                        + "turn without cues gets, not a rule's code) (rule word,awful,hostil,1)");
        assertError(dir, HEADER + "word,,hostile,1\n", "codebook %s, line 2: pattern is empty (rule word,,hostile,1)");
        assertError(dir, HEADER + "word,awful,hostile,heavy\n",
                "codebook %s, line 2: weight 'heavy' is not a number (rule word,awful,hostile,heavy)");
        assertError(dir, HEADER + "word,awful,hostile,-1\n",
                "codebook %s, line 2: weight -1 is not a finite number of 0 or more (rule word,awful,hostile,-1)");
        assertError(dir, HEADER + "intensifier,really,,0\n",
                "codebook %s, line 2: weight 0 is not a finite number above 0 (rule intensifier,really,,0)");
        assertError(dir, HEADER + "intensifier,really,,\n",
                "codebook %s, line 2: an intensifier needs a weight, its factor (1.5 strengthens, 0.5 softens) "
                        + "(rule intensifier,really,,)");
        assertError(dir, HEADER + "wrod,awful,hostile,1\n", "codebook %s, line 2: kind 'wrod' is not one of phrase, "
                + "word, negation, intensifier, contrast, boundary, empathy_phrase, setting (rule wrod,awful,hostile,1)");
        assertError(dir, HEADER + "word,fed up,hostile,2\n",
                "codebook %s, line 2: word 'fed up' has 2 words; use kind phrase (rule word,fed up,hostile,2)");
        assertError(dir, HEADER + "negation,not,hostile,\n",
                "codebook %s, line 2: a negation has no code, found 'hostile' (rule negation,not,hostile,)");
        assertError(dir, HEADER + "word,awful,hostile,1\n\nphrase,AWFUL,cooperative,1\n",
                "codebook %s, line 4: pattern 'AWFUL' is already a rule at line 2 (customer cues, negations, "
                        + "intensifiers and contrasts share one list); each pattern may appear once "
                        + "(rule phrase,AWFUL,cooperative,1)");
        assertError(dir, HEADER + "word,fru*strat,hostile,1\n",
                "codebook %s, line 2: pattern 'fru*strat': a '*' may only end a word (frustrat*) (rule word,fru*strat,hostile,1)");
        assertError(dir, HEADER + "word,...,hostile,1\n",
                "codebook %s, line 2: pattern '...' has no letters or digits (rule word,...,hostile,1)");
        assertError(dir, HEADER + "setting,negation_window,two,\n",
                "codebook %s, line 2: setting negation_window: 'two' is not a whole number of 0 or more "
                        + "(rule setting,negation_window,two,)");
        assertError(dir, HEADER + "setting,segmentation,syllables,\n",
                "codebook %s, line 2: setting segmentation: 'syllables' is not one of words, characters "
                        + "(rule setting,segmentation,syllables,)");
        assertError(dir, HEADER + "setting,threshold,1,\nsetting,threshold,2,\n",
                "codebook %s, line 3: setting threshold is already set at line 2 (rule setting,threshold,2,)");
        assertError(dir, HEADER + "setting,segmentation,characters,\nword,満足*,cooperative,1\n",
                "codebook %s, line 3: pattern '満足*' has a '*', but with segmentation characters every pattern "
                        + "already matches as a substring (rule word,満足*,cooperative,1)");
        assertError(dir, "kind,pattern,tone\nword,awful,hostile\n",
                "codebook %s, line 1: the header is 'kind,pattern,tone', expected the columns kind,pattern,code,weight");
        assertError(dir, HEADER + "word,\"awful,hostile,1\n", "codebook %s: is not valid CSV: %%s");
    }

    @Test
    void aFolderWithoutCodebooksOrABadFileNameIsRefused(@TempDir Path dir) throws IOException {
        CodebookException none = assertThrows(CodebookException.class, () -> Codebooks.load(dir));
        assertEquals("codebook " + dir + ": holds no <language>.csv codebook", none.getMessage());
        CodebookException missing = assertThrows(CodebookException.class, () -> Codebooks.load(dir.resolve("nope")));
        assertEquals("codebook " + dir.resolve("nope") + ": is not a directory of <language>.csv codebooks",
                missing.getMessage());
        write(dir, "English.csv", HEADER);
        CodebookException name = assertThrows(CodebookException.class, () -> Codebooks.load(dir));
        assertEquals("codebook " + dir.resolve("English.csv")
                + ": 'English' is not a language tag; name a codebook after its language, such as en.csv", name.getMessage());
        assertEquals(0, name.line());
    }

    @Test
    void aCodebookReadFromAReaderNamesItsSource() {
        CodebookException e = assertThrows(CodebookException.class,
                () -> Codebooks.read("en", new StringReader(HEADER + "word,x,bad,\n"), "team-en"));
        assertEquals("team-en", e.file());
        assertEquals(2, e.line());
    }

    /** Writes {@code text} as en.csv alone in the folder and checks the message ({@code %s} is the file). */
    private static void assertError(Path dir, String text, String expected) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Path file = write(dir, "en.csv", text);
        CodebookException e = assertThrows(CodebookException.class, () -> Codebooks.load(dir));
        String message = String.format(expected, file);
        if (message.endsWith("%s")) {
            assertTrue(e.getMessage().startsWith(message.substring(0, message.length() - 2)), e.getMessage());
        } else {
            assertEquals(message, e.getMessage());
        }
        assertEquals(file.toString(), e.file());
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
