package dev.empathy.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversations: text that follows the planted mood, personal data that is fake but valid,
 * and a {@code text} entry in truth.json that agrees with the rows. Every check reads the written
 * Parquet files back; the personal data is found with patterns written here, independently of
 * the generator's code.
 */
class ConversationTextTest {

    @TempDir
    static Path dir;

    static JsonNode text;
    static Map<String, Map<String, Object>> interactions = new HashMap<>();
    /** Customer turns per interaction, in turn order. */
    static Map<String, List<Map<String, Object>>> customerTurns = new LinkedHashMap<>();
    static List<String> customerTexts = new ArrayList<>();

    @BeforeAll
    static void generate() throws IOException {
        Path data = dir.resolve("data");
        Generator.generate(data, new GeneratorParams(40_000, 7, 2), line -> { });
        text = new ObjectMapper().readTree(data.resolve("truth.json").toFile()).get("text");
        for (Map<String, Object> i : ParquetRows.read(data.resolve("interactions"))) {
            interactions.put((String) i.get("interaction_id"), i);
        }
        for (Map<String, Object> t : ParquetRows.read(data.resolve("turns"))) {
            if ("customer".equals(t.get("speaker"))) {
                customerTurns.computeIfAbsent((String) t.get("interaction_id"), k -> new ArrayList<>()).add(t);
                customerTexts.add((String) t.get("text"));
            }
        }
    }

    // ---- personal data ------------------------------------------------------------------------

    private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b");
    private static final Pattern EMAIL = Pattern.compile("[a-z0-9._]+@example\\.(?:com|org|net)");
    private static final Pattern PHONE_INTERNATIONAL = Pattern.compile(
            "\\+1(?: \\d{3} 555 |-\\d{3}-555-| \\(\\d{3}\\) 555-)01\\d\\d|\\+44(?: 7700 900|7700900| \\(0\\)7700 900)\\d{3}");
    private static final Pattern PHONE_NATIONAL = Pattern.compile(
            "\\(\\d{3}\\) 555-01\\d\\d|\\d{3}-555-01\\d\\d|\\d{3}\\.555\\.01\\d\\d|07700 ?900 ?\\d{3}");
    /** 13 to 19 digits, single spaces or dashes between them, nothing digit-like around. */
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d])");

    /** What a careful redactor would find, pattern by pattern, each match removed before the next. */
    record Found(List<String> ibans, List<String> emails, List<String> phonesInternational,
                 List<String> phonesNational, List<String> cards, List<String> leftover) {
    }

    static Found find() {
        Found f = new Found(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        for (String t : customerTexts) {
            String rest = t;
            rest = take(IBAN, rest, f.ibans);
            rest = take(EMAIL, rest, f.emails);
            rest = take(PHONE_INTERNATIONAL, rest, f.phonesInternational);
            rest = take(PHONE_NATIONAL, rest, f.phonesNational);
            rest = take(CARD, rest, f.cards);
            if (rest.contains("@") || rest.matches(".*\\d{5,}.*")) {
                f.leftover.add(t);
            }
        }
        return f;
    }

    private static String take(Pattern p, String s, List<String> into) {
        Matcher m = p.matcher(s);
        while (m.find()) {
            into.add(m.group());
        }
        return m.replaceAll(" ");
    }

    @Test
    void everyPlantedCardPassesLuhnAndEveryIbanItsMod97AndTheCountsAreInTruth() {
        Found f = find();
        JsonNode kinds = text.at("/personal_data/items_by_kind");
        assertEquals(kinds.get("payment_card").asLong(), f.cards.size(), "cards");
        assertEquals(kinds.get("iban").asLong(), f.ibans.size(), "IBANs");
        assertTrue(f.cards.size() > 100, "cards " + f.cards.size());
        boolean spaced = false;
        boolean dashed = false;
        boolean plain = false;
        java.util.Set<Integer> lengths = new java.util.TreeSet<>();
        for (String card : f.cards) {
            String digits = card.replace(" ", "").replace("-", "");
            lengths.add(digits.length());
            assertTrue(luhnValid(digits), card);
            spaced |= card.contains(" ");
            dashed |= card.contains("-");
            plain |= digits.equals(card);
        }
        assertTrue(spaced && dashed && plain, "cards typed with spaces, dashes and neither");
        assertTrue(lengths.contains(15) && lengths.contains(16) && lengths.size() >= 5, "card lengths " + lengths);
        for (String iban : f.ibans) {
            assertTrue(ibanValid(iban), iban);
        }
        assertTrue(f.leftover.isEmpty(), "personal data in no known shape: " + f.leftover);
    }

    @Test
    void emailsAndPhonesAreInReservedRangesAndCounted() {
        Found f = find();
        JsonNode kinds = text.at("/personal_data/items_by_kind");
        assertEquals(kinds.get("email").asLong(), f.emails.size(), "e-mails");
        assertEquals(kinds.get("phone_international").asLong(), f.phonesInternational.size(), "international phones");
        assertEquals(kinds.get("phone_national").asLong(), f.phonesNational.size(), "national phones");
        long items = f.emails.size() + f.phonesInternational.size() + f.phonesNational.size() + f.cards.size()
                + f.ibans.size();
        assertEquals(text.at("/personal_data/customer_turns_with_personal_data").asLong(), items);
        long atSigns = customerTexts.stream().filter(t -> t.contains("@")).count();
        assertEquals(f.emails.size(), atSigns, "every @ is an example.com/.org/.net address");
        double share = (double) items / customerTexts.size();
        assertEquals(PlantedModel.PERSONAL_DATA_SHARE, share, 0.006, "share of customer turns with personal data");
    }

    /** Luhn (ISO/IEC 7812-1 annex B): doubling every second digit from the right, the sum is a multiple of 10. */
    static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** ISO 13616: the first four characters moved to the end, letters as 10..35, the number mod 97 is 1. */
    static boolean ibanValid(String iban) {
        String s = iban.replace(" ", "");
        String moved = s.substring(4) + s.substring(0, 4);
        StringBuilder digits = new StringBuilder();
        for (char c : moved.toCharArray()) {
            digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    @Test
    void checkDigitsMatchPublishedExamples() {
        // Wikipedia, "Luhn algorithm": 7992739871 takes check digit 3.
        assertEquals(3, PersonalData.luhnCheckDigit("7992739871".toCharArray(), 10));
        assertTrue(luhnValid("4111111111111111"), "the well-known Visa test number");
        // ECBS / Wikipedia, "International Bank Account Number": GB82 WEST 1234 5698 7654 32, DE89 3704 0044 0532 0130 00.
        assertEquals(82, 98 - PersonalData.mod97("WEST12345698765432", "GB"));
        assertEquals(89, 98 - PersonalData.mod97("370400440532013000", "DE"));
        assertTrue(ibanValid("ES91 2100 0418 4502 0005 1332"));
    }

    // ---- tone ---------------------------------------------------------------------------------

    /** Every customer line of every bank, to its tone; a turn with personal data starts with its line. */
    static Phrases.Tone toneOf(String turnText) {
        Phrases.Tone best = null;
        int bestLength = -1;
        for (Phrases.Bank bank : Phrases.banks().values()) {
            for (Phrases.Tone tone : Phrases.Tone.values()) {
                for (String line : bank.customerLines(tone)) {
                    boolean match = turnText.equals(line) || turnText.startsWith(line + " ");
                    if (match && line.length() > bestLength) {
                        best = tone;
                        bestLength = line.length();
                    }
                }
            }
        }
        assertNotNull(best, "a customer turn from no bank: " + turnText);
        return best;
    }

    @Test
    void hostileOpeningsTurnCooperativeMoreOftenAfterDocumentedEmpathyAsTruthSays() {
        long[][] counts = new long[2][2];
        double[] scoreShift = new double[2];
        long[] scored = new long[2];
        for (Map.Entry<String, List<Map<String, Object>>> e : customerTurns.entrySet()) {
            List<Map<String, Object>> turns = e.getValue();
            Phrases.Tone first = toneOf((String) turns.get(0).get("text"));
            Phrases.Tone last = toneOf((String) turns.get(turns.size() - 1).get("text"));
            int d = (Boolean) interactions.get(e.getKey()).get("empathy_documented") ? 1 : 0;
            if (first == Phrases.Tone.HOSTILE) {
                counts[d][0]++;
                counts[d][1] += last == Phrases.Tone.COOPERATIVE ? 1 : 0;
            }
            if (first != Phrases.Tone.UNCLEAR && last != Phrases.Tone.UNCLEAR) {
                scoreShift[d] += score(last) - score(first);
                scored[d]++;
            }
        }
        JsonNode h = text.get("hostile_start_ends_cooperative");
        assertEquals(h.at("/documented/hostile_start").asLong(), counts[1][0]);
        assertEquals(h.at("/documented/ended_cooperative").asLong(), counts[1][1]);
        assertEquals(h.at("/not_documented/hostile_start").asLong(), counts[0][0]);
        assertEquals(h.at("/not_documented/ended_cooperative").asLong(), counts[0][1]);
        double documented = (double) counts[1][1] / counts[1][0];
        double not = (double) counts[0][1] / counts[0][0];
        assertTrue(documented > not + 0.2, "hostile to cooperative, documented " + documented + " vs not " + not);
        // The tone of the words, -1 hostile .. +1 cooperative, moves up more after documented empathy.
        double up = scoreShift[1] / scored[1];
        double upNot = scoreShift[0] / scored[0];
        assertTrue(up > upNot + 0.3, "tone shift of the words, documented " + up + " vs not " + upNot);
    }

    private static int score(Phrases.Tone tone) {
        return switch (tone) {
            case HOSTILE -> -1;
            case COOPERATIVE -> 1;
            default -> 0;
        };
    }

    @Test
    void everyToneTheLatentSentimentNamesIsTheToneOfTheLine() {
        long[] byTone = new long[Phrases.Tone.values().length];
        long withSentiment = 0;
        for (List<Map<String, Object>> turns : customerTurns.values()) {
            for (Map<String, Object> t : turns) {
                Phrases.Tone tone = toneOf((String) t.get("text"));
                byTone[tone.ordinal()]++;
                Double s = (Double) t.get("sentiment");
                if (s == null) {
                    continue;
                }
                withSentiment++;
                Phrases.Tone planted = s < PlantedModel.HOSTILE_BELOW ? Phrases.Tone.HOSTILE
                        : s > PlantedModel.COOPERATIVE_ABOVE ? Phrases.Tone.COOPERATIVE : Phrases.Tone.NEUTRAL;
                assertTrue(tone == planted || tone == Phrases.Tone.UNCLEAR, t.toString());
            }
        }
        for (Phrases.Tone tone : Phrases.Tone.values()) {
            assertEquals(text.at("/customer_turns_by_tone/" + tone.label()).asLong(), byTone[tone.ordinal()], tone.label());
        }
        assertEquals(text.at("/sentiment_given/customer_turns").asLong(), withSentiment);
    }

    // ---- truth.json against the rows ------------------------------------------------------------

    @Test
    void shiftByDocumentedEmpathyInTruthIsWhatTheSentimentColumnGives() {
        double[] sum = new double[2];
        long[] n = new long[2];
        for (Map.Entry<String, List<Map<String, Object>>> e : customerTurns.entrySet()) {
            List<Map<String, Object>> turns = e.getValue();
            Double first = (Double) turns.get(0).get("sentiment");
            if (first == null) {
                continue;
            }
            int d = (Boolean) interactions.get(e.getKey()).get("empathy_documented") ? 1 : 0;
            sum[d] += (Double) turns.get(turns.size() - 1).get("sentiment") - first;
            n[d]++;
        }
        JsonNode given = text.at("/shift/sentiment_given");
        assertEquals(given.at("/documented/conversations").asLong(), n[1]);
        assertEquals(given.at("/not_documented/conversations").asLong(), n[0]);
        assertEquals(given.at("/documented/mean").asDouble(), sum[1] / n[1], 1e-9);
        assertEquals(given.at("/not_documented/mean").asDouble(), sum[0] / n[0], 1e-9);
        assertTrue(given.get("difference").asDouble() > 0.2, given.toString());
        JsonNode regression = given.get("regression_on_scored");
        // Planted: 3.5 x 0.07 = 0.245 and 3.5 x 0.03 = 0.105 before clamping; n about 1,900 here.
        assertEquals(0.245, regression.get("documented").asDouble(), 0.08, regression.toString());
        assertEquals(0.105, regression.get("per_10_empathy_points").asDouble(), 0.04, regression.toString());
    }

    @Test
    void everyLanguageIsPresentAndCountedAsInTruth() {
        Map<String, Long> byLanguage = new TreeMap<>();
        for (String id : customerTurns.keySet()) {
            byLanguage.merge((String) interactions.get(id).get("language"), 1L, Long::sum);
        }
        assertEquals(List.of("de", "en", "es", "fr", "ja-JP", "pt-BR"), List.copyOf(byLanguage.keySet()));
        byLanguage.forEach((tag, count) -> {
            assertEquals(count, text.at("/conversations_by_language/" + tag).asLong(), tag);
            double planned = text.at("/planned_language_share/" + tag).asDouble();
            assertEquals(planned, (double) count / customerTurns.size(), 0.03, tag);
        });
        assertEquals(customerTurns.size(), text.get("conversations").asLong());
    }

    @Test
    void everyBankIsFullAndEveryLanguageWritesItsOwn() {
        for (String language : Phrases.LANGUAGES) {
            Phrases.Bank bank = Phrases.banks().get(language);
            for (Phrases.Tone tone : Phrases.Tone.values()) {
                assertTrue(bank.customerLines(tone).size() >= 10, language + " " + tone);
            }
            for (Phrases.AgentStyle style : Phrases.AgentStyle.values()) {
                assertTrue(bank.agentLines(style).size() >= 8, language + " " + style);
            }
        }
        // A Japanese customer writes Japanese, a German one German.
        for (Map.Entry<String, List<Map<String, Object>>> e : customerTurns.entrySet()) {
            String tag = (String) interactions.get(e.getKey()).get("language");
            String primary = tag.substring(0, 2);
            String line = (String) e.getValue().get(0).get("text");
            boolean inBank = false;
            for (Phrases.Tone tone : Phrases.Tone.values()) {
                for (String l : Phrases.banks().get(primary).customerLines(tone)) {
                    inBank |= line.equals(l) || line.startsWith(l + " ");
                }
            }
            assertTrue(inBank, tag + ": " + line);
        }
        assertFalse(customerTexts.isEmpty());
    }
}
