package dev.empathy.lib.text;

import static dev.empathy.lib.text.VerbatimCode.COOPERATIVE;
import static dev.empathy.lib.text.VerbatimCode.HOSTILE;
import static dev.empathy.lib.text.VerbatimCode.NEUTRAL;
import static dev.empathy.lib.text.VerbatimCode.UNCLEAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.lib.stats.CohensKappa;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class VerbatimCoderTest {

    private static final Map<String, VerbatimCoder> SHIPPED = Codebooks.defaults().coders();

    /** A tiny English codebook whose every number is visible in the test. */
    private static final String TINY = """
            kind,pattern,code,weight
            word,happy,cooperative,1
            word,thank*,cooperative,1
            word,awful,hostile,2
            phrase,fed up,hostile,2
            phrase,no problem,cooperative,1
            word,bill,neutral,1
            negation,not,,
            negation,no,,
            intensifier,really,,1.5
            intensifier,a bit,,0.5
            contrast,but,,
            empathy_phrase,i'm sorry,,
            empathy_phrase,i understand,,
            """;

    private static VerbatimCoder tiny() throws IOException {
        return VerbatimCoder.of(Codebooks.read("en", new StringReader(TINY), "tiny"));
    }

    @Test
    void cuesAddTheirWeightsAndTheLargerToneWins() throws IOException {
        VerbatimCoder c = tiny();
        assertEquals(new VerbatimCoder.Coding(COOPERATIVE, 0, 0, 1, 2), c.score("Happy now."));
        assertEquals(new VerbatimCoder.Coding(HOSTILE, 2, 0, 1, 4), c.score("Awful service, thanks anyway"));
        // Thanks (1) and happy (1) against fed up (2): a tie of strong cues is neutral, not a coin toss.
        assertEquals(NEUTRAL, c.code("thanks, happy, fed up"));
        // A wildcard ending matches any ending.
        assertEquals(COOPERATIVE, c.code("Thankful"));
    }

    @Test
    void theLongestPatternWinsAndUsesItsWords() throws IOException {
        VerbatimCoder c = tiny();
        // "no problem" is one cooperative phrase, not the negation "no" before "problem".
        assertEquals(List.of("no problem→cooperative×1.00"), c.explain("No problem at all").cues());
        assertEquals(COOPERATIVE, c.code("No problem at all"));
    }

    @Test
    void aNegationFlipsTheNextCueWithinItsWindowAndClause() throws IOException {
        VerbatimCoder c = tiny();
        assertEquals(HOSTILE, c.code("I am not happy"));
        // Two words between, within the default window of 3: still negated.
        assertEquals(HOSTILE, c.code("not at all happy"));
        // Four words between: out of reach.
        assertEquals(COOPERATIVE, c.code("not once did I feel happy"));
        // A comma closes the clause: "No, happy" is not "not happy".
        assertEquals(COOPERATIVE, c.code("No, happy with it."));
        // A negated hostile cue is cooperative: "not awful".
        assertEquals(COOPERATIVE, c.code("not awful"));
        // A negation flips only the tone of a cue, a neutral cue stays neutral.
        assertEquals(NEUTRAL, c.code("not my bill"));
    }

    @Test
    void intensifiersMultiplyAndContrastDiscountsWhatCameBefore() throws IOException {
        VerbatimCoder c = tiny();
        assertEquals(3.0, c.score("really fed up").hostile(), 0);
        // Negated and intensified: "really not happy" is hostile 1.5.
        assertEquals(1.5, c.score("really not happy").hostile(), 0);
        // A softener can take a cue below the threshold: neutral, not cooperative.
        assertEquals(0.5, c.score("a bit happy").cooperative(), 0);
        assertEquals(NEUTRAL, c.code("a bit happy"));
        // Before "but" a cue counts a quarter: fed up 2 * 0.25 = 0.5 against thanks 1.
        VerbatimCoder.Coding mixed = c.score("I was fed up but thanks");
        assertEquals(0.5, mixed.hostile(), 0);
        assertEquals(COOPERATIVE, mixed.code());
        assertEquals(HOSTILE, c.code("thanks but I am fed up"));
    }

    @Test
    void aTurnWithoutCuesIsUnclearWhenShortAndNeutralWhenLong() throws IOException {
        VerbatimCoder c = tiny();
        assertEquals(UNCLEAR, c.code("ok"));
        assertEquals(UNCLEAR, c.code("Yes, right."));
        assertEquals(UNCLEAR, c.code("58213"));
        assertEquals(UNCLEAR, c.code("..."));
        assertEquals(UNCLEAR, c.code(""));
        assertEquals(UNCLEAR, c.code(null));
        // Four words is enough to say something; a neutral cue is enough on its own.
        assertEquals(NEUTRAL, c.code("my order number is 58213"));
        assertEquals(NEUTRAL, c.code("bill?"));
    }

    @Test
    void textIsNormalisedBeforeMatching() throws IOException {
        VerbatimCoder c = tiny();
        // Full-width letters, upper case and a typographic apostrophe.
        assertEquals(COOPERATIVE, c.code("ＨＡＰＰＹ"));
        assertEquals(1, c.empathyPhrases("I’m sorry about that."));
        assertEquals(2, c.empathyPhrases("I'm sorry. I understand."));
        assertFalse(c.hasEmpathyPhrase("We apologise for any inconvenience."));
        assertEquals(0, c.empathyPhrases(null));
        assertEquals(List.of("i'm sorry", "i understand", "i'm sorry"),
                c.empathyPhraseMatches("I’M SORRY. I understand, i'm sorry."));
        assertEquals(List.of(), c.empathyPhraseMatches(null));
    }

    @Test
    void charactersSegmentationMatchesSubstringsWithNegationAfter() throws IOException {
        String book = """
                kind,pattern,code,weight
                setting,segmentation,characters,
                setting,negation_scope,after,
                setting,negation_window,3,
                word,満足,cooperative,1
                word,最悪,hostile,2
                negation,ません,,
                intensifier,全く,,1.5
                """;
        VerbatimCoder c = VerbatimCoder.of(Codebooks.read("ja", new StringReader(book), "ja-test"));
        assertEquals(COOPERATIVE, c.code("満足しました"));
        // 満足 + してい (3 characters) + ません: negated, and intensified by 全く.
        VerbatimCoder.Coding negated = c.score("全く満足していません");
        assertEquals(HOSTILE, negated.code());
        assertEquals(1.5, negated.hostile(), 0);
        // A sentence end stops the negation.
        assertEquals(COOPERATIVE, c.code("満足。ません"));
        // Two characters a word: はい is one word, unclear.
        assertEquals(UNCLEAR, c.code("はい"));
        assertEquals(1, c.score("はい").words());
    }

    @Test
    void accentsAreFoldedWhereTheCodebookSaysSo() throws IOException {
        String book = """
                kind,pattern,code,weight
                setting,fold_accents,true,
                word,así,neutral,1
                word,desolé,cooperative,1
                """;
        VerbatimCoder c = VerbatimCoder.of(Codebooks.read("fr", new StringReader(book), "fold"));
        assertEquals(COOPERATIVE, c.code("desole"));
        assertEquals(COOPERATIVE, c.code("Désolé"));
        assertEquals(NEUTRAL, c.code("asi"));
    }

    @Test
    void theIssuesNegationsAreHostileInTheShippedCodebooks() {
        Map<String, List<String>> negated = Map.of(
                "en", List.of("I'm not happy with this.", "I am not satisfied at all."),
                "de", List.of("Ich bin nicht zufrieden.", "Ich bin überhaupt nicht zufrieden damit."),
                "fr", List.of("Je ne suis pas content.", "Je ne suis pas du tout satisfait."),
                "es", List.of("No estoy contento.", "No estoy nada satisfecho."),
                "pt", List.of("Não estou satisfeito.", "Nao estou contente com isso."),
                "ja", List.of("全く満足していません。", "満足できません。"));
        Map<String, List<String>> plain = Map.of(
                "en", List.of("I'm happy with this."),
                "de", List.of("Ich bin zufrieden."),
                "fr", List.of("Je suis content."),
                "es", List.of("Estoy contento."),
                "pt", List.of("Estou satisfeito."),
                "ja", List.of("満足しています。"));
        negated.forEach((language, texts) -> texts.forEach(t ->
                assertEquals(HOSTILE, SHIPPED.get(language).code(t), language + ": " + t)));
        plain.forEach((language, texts) -> texts.forEach(t ->
                assertEquals(COOPERATIVE, SHIPPED.get(language).code(t), language + ": " + t)));
    }

    /**
     * The generator's agent lines (sample-data Phrases, commit f1b998b): the empathetic ones hold
     * an empathy phrase, the plain ones and the scripted stock apologies do not.
     */
    @Test
    void shippedEmpathyPhrasesFindTheGeneratorsEmpatheticAgentLinesOnly() {
        Map<String, List<List<String>>> lines = Map.of(
                "en", List.of(
                        List.of("I am so sorry this has been such a hassle for you.",
                                "I completely understand how frustrating that must be.",
                                "That sounds really stressful, let us fix it together."),
                        List.of("Let me look into that for you.", "Could you confirm the account number, please?",
                                "I have updated the record; it should work now.", "Is there anything else I can help with?",
                                "We value you as a customer and apologise for any inconvenience.",
                                "Your satisfaction is our top priority.")),
                "de", List.of(
                        List.of("Es tut mir wirklich leid, dass Sie so viel Ärger hatten.",
                                "Ich kann gut verstehen, wie frustrierend das ist.",
                                "Das klingt sehr belastend, wir lösen das gemeinsam."),
                        List.of("Ich schaue mir das gleich an.", "Können Sie mir bitte die Kundennummer bestätigen?",
                                "Ich habe den Eintrag aktualisiert.", "Kann ich sonst noch etwas für Sie tun?",
                                "Wir schätzen Sie als Kunden und entschuldigen uns für die Unannehmlichkeiten.",
                                "Ihre Zufriedenheit hat für uns höchste Priorität.")),
                "fr", List.of(
                        List.of("Je suis vraiment désolé pour tous ces désagréments.",
                                "Je comprends tout à fait à quel point c'est frustrant.",
                                "Cela semble très stressant, réglons-le ensemble."),
                        List.of("Je regarde cela pour vous.", "Pouvez-vous confirmer votre numéro de client ?",
                                "J'ai mis à jour votre dossier.", "Puis-je vous aider pour autre chose ?",
                                "Nous vous remercions de votre fidélité et nous excusons pour la gêne occasionnée.",
                                "Votre satisfaction est notre priorité absolue.")),
                "es", List.of(
                        List.of("Siento mucho todas las molestias que ha tenido.",
                                "Entiendo perfectamente lo frustrante que es.",
                                "Suena muy estresante, vamos a solucionarlo juntos."),
                        List.of("Déjeme revisarlo.", "¿Puede confirmar su número de cliente?", "He actualizado el registro.",
                                "¿Puedo ayudarle en algo más?", "Valoramos su confianza y lamentamos las molestias.",
                                "Su satisfacción es nuestra máxima prioridad.")),
                "pt", List.of(
                        List.of("Sinto muito por todo esse transtorno.", "Entendo perfeitamente como isso é frustrante.",
                                "Parece muito estressante, vamos resolver juntos."),
                        List.of("Vou verificar isso para você.", "Pode confirmar o número do cliente?",
                                "Atualizei o seu cadastro.", "Posso ajudar em mais alguma coisa?",
                                "Valorizamos você como cliente e pedimos desculpas pelo transtorno.",
                                "A sua satisfação é a nossa prioridade.")),
                "ja", List.of(
                        List.of("ご迷惑をおかけして本当に申し訳ございません。", "ご不便な思いをされたこと、よく分かります。",
                                "大変でしたね。一緒に解決いたしましょう。"),
                        List.of("確認いたします。", "お客様番号をご確認いただけますか。", "登録情報を更新しました。",
                                "他にお手伝いできることはございますか。",
                                "いつもご利用いただきありがとうございます。ご不便をおかけしております。",
                                "お客様の満足が私どもの最優先事項です。")));
        lines.forEach((language, groups) -> {
            VerbatimCoder c = SHIPPED.get(language);
            groups.get(0).forEach(t -> assertTrue(c.hasEmpathyPhrase(t), language + " empathy: " + t));
            groups.get(1).forEach(t -> assertFalse(c.hasEmpathyPhrase(t), language + " not empathy: " + t));
        });
    }

    @Test
    void conversationEndsAreItsFirstAndLastClearTurns() {
        assertEquals(Optional.of(new ConversationEnds(1, HOSTILE, 3, COOPERATIVE)),
                ConversationEnds.of(List.of(UNCLEAR, HOSTILE, NEUTRAL, COOPERATIVE, UNCLEAR)));
        ConversationEnds one = ConversationEnds.of(List.of(UNCLEAR, NEUTRAL, UNCLEAR)).orElseThrow();
        assertEquals(new ConversationEnds(1, NEUTRAL, 1, NEUTRAL), one);
        assertFalse(one.changed());
        assertEquals(Optional.empty(), ConversationEnds.of(List.of(UNCLEAR, UNCLEAR)));
        assertEquals(Optional.empty(), ConversationEnds.of(List.of()));
        assertTrue(ConversationEnds.of(List.of(HOSTILE, COOPERATIVE)).orElseThrow().changed());
    }

    @Test
    void aCoderSurvivesSerialisationAndCodesTheSameInParallel() throws Exception {
        List<Turn> turns = labelledTurns("labelled-turns.csv");
        VerbatimCoder en = SHIPPED.get("en");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(en);
        }
        VerbatimCoder copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (VerbatimCoder) in.readObject();
        }
        List<String> english = turns.stream().filter(t -> t.language.equals("en")).map(t -> t.text).toList();
        assertEquals(english.stream().map(en::code).toList(), english.stream().map(copy::code).toList());
        // One coder shared by many threads codes as one thread does.
        List<VerbatimCode> sequential = turns.stream().map(t -> SHIPPED.get(t.language).code(t.text)).toList();
        for (int round = 0; round < 5; round++) {
            assertEquals(sequential, turns.parallelStream().map(t -> SHIPPED.get(t.language).code(t.text)).toList());
        }
    }

    /**
     * The shipped codebooks against 361 hand-labelled customer turns (labelled-turns.csv and its
     * README): Cohen's kappa overall must stay at 0.6 or more, the issue's bar. The labels came
     * before the codebooks, but the codebooks were written knowing these texts: an in-sample
     * figure. Printed per language and per source, and quoted in docs/codebooks.md.
     */
    @Test
    void shippedCodebooksAgreeWithTheHandLabels() throws IOException {
        List<Turn> turns = labelledTurns("labelled-turns.csv");
        assertTrue(turns.size() >= 300, "at least 300 labelled turns, found " + turns.size());
        CohensKappa.Agreement overall = agreement("labelled turns (in-sample)", turns);
        assertTrue(overall.kappa() >= 0.6, "kappa " + overall.kappa() + " is below 0.6");
    }

    /**
     * The development turns (development-turns.csv): written as a held-out set, scored kappa 0.53
     * against the first codebooks, then used to widen them, so in-sample now. Printed, and held
     * at the issue's bar so that an edit which loses what the second round gained is noticed.
     */
    @Test
    void shippedCodebooksAgreeWithTheDevelopmentTurns() throws IOException {
        CohensKappa.Agreement overall = agreement("development turns (in-sample since the second round)",
                labelledTurns("development-turns.csv"));
        assertTrue(overall.kappa() >= 0.6, "development kappa " + overall.kappa() + " is below 0.6");
    }

    /**
     * The out-of-sample figure: 84 turns written and labelled after the second-round codebooks
     * were frozen (heldout-turns.csv). Only printed and quoted in the docs, not held: a bar set
     * after seeing it would be one more fit to these turns, and a codebook tuned to pass it
     * would stop measuring anything. Editing the codebooks with these turns in view spends them.
     */
    @Test
    void shippedCodebooksOnTurnsTheyNeverSaw() throws IOException {
        List<Turn> turns = labelledTurns("heldout-turns.csv");
        CohensKappa.Agreement overall = agreement("held-out turns (out-of-sample)", turns);
        assertEquals(84, overall.n());
    }

    /** Kappa of the shipped coders against the labels, printed overall, per language and per source. */
    private static CohensKappa.Agreement agreement(String title, List<Turn> turns) {
        List<VerbatimCode> labels = new ArrayList<>();
        List<VerbatimCode> codes = new ArrayList<>();
        Map<String, List<List<VerbatimCode>>> byGroup = new TreeMap<>();
        StringBuilder misses = new StringBuilder();
        for (Turn t : turns) {
            VerbatimCode code = SHIPPED.get(t.language).code(t.text);
            labels.add(t.label);
            codes.add(code);
            for (String group : List.of("language " + t.language, "source " + t.source)) {
                List<List<VerbatimCode>> pair = byGroup.computeIfAbsent(group,
                        g -> List.of(new ArrayList<>(), new ArrayList<>()));
                pair.get(0).add(t.label);
                pair.get(1).add(code);
            }
            if (code != t.label) {
                misses.append(String.format(Locale.ROOT, "  %s %-11s label %-11s coder %-11s %s%n",
                        t.language, t.source, t.label.label(), code.label(), t.text));
            }
        }
        CohensKappa.Agreement overall = CohensKappa.of(labels, codes);
        StringBuilder report = new StringBuilder("Codebooks against the hand labels: " + title + "\n");
        report.append(String.format(Locale.ROOT, "  %-20s %s%n", "overall", overall));
        byGroup.forEach((group, pair) -> report.append(String.format(Locale.ROOT, "  %-20s %s%n", group,
                CohensKappa.of(pair.get(0), pair.get(1)))));
        System.out.print(report);
        System.out.print("  disagreements:\n" + misses);
        return overall;
    }

    record Turn(String language, String source, String text, VerbatimCode label) {
    }

    static List<Turn> labelledTurns(String resource) throws IOException {
        List<Turn> turns = new ArrayList<>();
        try (InputStream in = VerbatimCoderTest.class.getResourceAsStream(resource)) {
            CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
            for (CSVRecord r : format.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                turns.add(new Turn(r.get("language"), r.get("source"), r.get("text"),
                        VerbatimCode.ofLabel(r.get("label")).orElseThrow()));
            }
        }
        return turns;
    }
}
