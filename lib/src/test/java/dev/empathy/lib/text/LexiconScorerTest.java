package dev.empathy.lib.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Scores derived by hand from the entries of {@code lexicons/fr.tsv} quoted in each comment
 * (stem<TAB>polarity; a word is looked up by its Snowball stem, accents stripped):
 * compound = x / sqrt(x^2 + 15) with x = 4 * (sum of polarities, negated ones with a minus).
 * Tokens whose stem is not in the file are named "not listed".
 */
class LexiconScorerTest {

    private static final double EPS = 1e-6;

    private static LexiconScorer french() {
        return LexiconScorer.forLanguage("fr").orElseThrow();
    }

    @Test
    void oneFrenchWord() {
        // parfait -> parf 0.8; le, service (servic), est not listed.
        // x = 3.2, 3.2 / sqrt(10.24 + 15) = 3.2 / 5.023943 = 0.636950
        LexiconScorer.Score s = french().score("Le service est parfait.");
        assertEquals(0.636950, s.compound(), EPS);
        assertEquals(4, s.tokens());
        assertEquals(1, s.matched());
    }

    @Test
    void severalFrenchWordsAddUp() {
        // très -> tre 0.01, aimable -> aimabl 0.9, rapide -> rapid 0.35, merci -> merc 0.3 (et not
        // listed): sum 1.56, x = 6.24, 6.24 / sqrt(38.9376 + 15) = 6.24 / 7.344222 = 0.849647
        LexiconScorer.Score s = french().score("Très aimable et rapide, merci !");
        assertEquals(0.849647, s.compound(), EPS);
        assertEquals(5, s.tokens());
        assertEquals(4, s.matched());
        // déçue -> decu -1, horrible -> horribl -1 (je, suis not listed): x = -8, -8 / 8.888194 = -0.900070
        assertEquals(-0.900070, french().score("Je suis déçue, horrible.").compound(), EPS);
    }

    @Test
    void feminineAndPluralFormsShareTheirStem() {
        // très -> tre 0.01, contents -> content 0.65, satisfaits -> satisfait 0.3 (les, conseillers,
        // sont, et not listed): sum 0.96, x = 3.84, 3.84 / sqrt(14.7456 + 15) = 3.84 / 5.453953 = 0.704077
        assertEquals(0.704077, french().score("Les conseillers sont très contents et satisfaits").compound(), EPS);
        for (String form : List.of("content", "contente", "contents", "contentes")) {
            assertEquals(Optional.of(0.65), french().polarity(form), form);
        }
        for (String form : List.of("parfait", "parfaite", "parfaits", "parfaites")) {
            assertEquals(Optional.of(0.8), french().polarity(form), form); // parf 0.8 and parfait 0.8
        }
        assertEquals(Optional.of(-1.0), french().polarity("horribles")); // horribl -1
        assertEquals(Optional.of(-0.2), french().polarity("nulle")); // null -0.2
    }

    @Test
    void negationFlipsTheNextWordsOnce() {
        // "n'est" splits into n, est. parf 0.8 has n, est, pas before it: negated once, not twice.
        // x = -3.2, -0.636950
        assertEquals(-0.636950, french().score("Ce n'est pas parfait.").compound(), EPS);
        assertEquals(-0.636950, french().score("Ce n’est pas parfait.").compound(), EPS);
        // contente -> content 0.65 after n, était, jamais: x = -2.6, -2.6 / 4.664762 = -0.557370
        assertEquals(-0.557370, french().score("Elle n'était jamais contente").compound(), EPS);
        // Four tokens back is outside the window: in "pas du tout vraiment bon" bon 0.7 stays
        // positive, tout 0.22 is negated (vraiment -> vrai has polarity 0 and is not listed):
        // x = 4 * (0.7 - 0.22) = 1.92, 1.92 / 4.322777 = 0.444159
        assertEquals(0.444159, french().score("pas du tout vraiment bon").compound(), EPS);
        // parf 0.8 negated; conseiller -> conseil 0.2 and aimable -> aimabl 0.9 have mais, le,
        // (conseiller, était) before them, no negation: x = 4 * (-0.8 + 0.2 + 0.9) = 1.2,
        // 1.2 / 4.054627 = 0.295958
        assertEquals(0.295958,
                french().score("Ce n'est pas parfait, mais le conseiller était aimable.").compound(), EPS);
    }

    @Test
    void unknownWordsGiveNoScorableTokens() {
        // le, colis, sera (ser), livré (livr), demain: none listed.
        LexiconScorer.Score s = french().score("Le colis sera livré demain.");
        assertEquals(0, s.compound());
        assertEquals(5, s.tokens());
        assertEquals(0, s.matched());
        assertFalse(s.scorable());
        assertEquals(0, french().score("").tokens());
        assertEquals(0, french().score(null).tokens());
        assertEquals(0, french().score("!!! 123 ...").tokens());
        // Words missing from Pattern's list, not mis-stemmed (lexicons/README.md).
        assertFalse(french().score("incompétent, inacceptable, frustrée").scorable());
    }

    @Test
    void accentsAndCaseAreStrippedAsTheKeysWere() {
        // decu -1 however it is written: x = -4, -4 / sqrt(31) = -0.718421
        for (String written : List.of("déçu", "DÉÇU", "decu", "deçu", "de\u0301c\u0327u", "Déçues")) {
            LexiconScorer.Score s = french().score(written);
            assertEquals(-0.718421, s.compound(), EPS, written);
            assertEquals(1, s.matched(), written);
        }
        assertEquals("decu", french().stem("Déçue"));
        assertEquals(List.of("ce", "n", "est", "pas", "genial"), LexiconScorer.tokens("Ce n'est pas GÉNIAL !"));
    }

    @Test
    void hyphenatedFormsAreLookedUpPartByPart() {
        // No key has a hyphen. soi-disant: soi not listed, disant -> dis -0.3; un, expert not listed.
        // x = -1.2, -1.2 / 4.054627 = -0.295958
        assertEquals(List.of("un", "soi", "disant", "expert"), LexiconScorer.tokens("un soi-disant expert"));
        assertEquals(-0.295958, french().score("un soi-disant expert").compound(), EPS);
    }

    @Test
    void formsThatShareAStemShareAPolarity() {
        // A cost of the stemmed list, kept visible: mauvais stems to mauv, which the list has at
        // polarity 0 (mauve, the colour) and so leaves out; mauvaise -> mauvais -0.71.
        assertEquals(Optional.empty(), french().polarity("mauvais"));
        assertEquals(Optional.of(-0.71), french().polarity("mauvaise"));
    }

    @Test
    void englishAndLanguagesWithoutALicensedLexiconHaveNoScorer() {
        // English is VADER's: a German turn tagged en (or de) is never scored by a lexicon here.
        assertTrue(LexiconScorer.forLanguage("en").isEmpty());
        assertTrue(LexiconScorer.forLanguage("en-GB").isEmpty());
        for (String lang : List.of("de", "de-DE", "es", "pt", "pt-BR", "ja", "ja-JP", "und", "", "xx")) {
            assertTrue(LexiconScorer.forLanguage(lang).isEmpty(), lang);
        }
        assertTrue(LexiconScorer.forLanguage(null).isEmpty());
        assertEquals(Set.of("fr"), LexiconScorer.languages());
        assertSame(french(), LexiconScorer.forLanguage(" FR-ca ").orElseThrow());
    }

    @Test
    void theFrenchLexiconIsLoadedWhole() {
        // 1,990 stems in pattern_fr.json less 351 of polarity 0.
        assertEquals(1639, french().size());
        assertEquals(Optional.of(0.7), french().polarity("bon"));
        assertEquals(Optional.of(1.0), french().polarity("magnifique")); // magnif 1
    }

    @Test
    void threadsSharingOneScorerGetTheSameScores() throws Exception {
        List<String> texts = List.of("Le service est parfait.", "Ce n'est pas parfait.",
                "Très aimable et rapide, merci !", "Je suis déçue, horrible.", "Les conseillers sont très contents et satisfaits",
                "Le colis sera livré demain.", "Elle n'était jamais contente");
        List<LexiconScorer.Score> expected = texts.stream().map(french()::score).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 2_000; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            if (!french().score(texts.get(i)).equals(expected.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertTrue(run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void serializesAsItsLanguageAndReadsBackTheSharedInstance() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(french());
        }
        assertTrue(bytes.size() < 500, "serialized size " + bytes.size());
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertSame(french(), in.readObject());
        }
    }

    @Test
    void vadersNormalization() {
        assertEquals(0, LexiconScorer.normalize(0));
        // 1 / sqrt(16) = 0.25
        assertEquals(0.25, LexiconScorer.normalize(1), 1e-15);
        assertEquals(-0.25, LexiconScorer.normalize(-1), 1e-15);
    }
}
