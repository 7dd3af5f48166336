package dev.empathy.lib.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-written cases for each kind, positive and negative, in English, German, French and
 * Japanese sentences, and two properties (jqwik) on generated text.
 */
class RedactorTest {

    private static void assertRedacted(String expected, PiiCounts counts, String input) {
        Redacted r = Redactor.redact(input);
        assertEquals(expected, r.text(), input);
        assertEquals(counts, r.counts(), input);
    }

    private static void assertUntouched(String input) {
        assertRedacted(input, PiiCounts.ZERO, input);
    }

    // E-mail

    @Test
    void emailsWithPlusAddressingSubdomainsAndDigits() {
        assertRedacted("Mail me: [EMAIL] or [EMAIL].", new PiiCounts(2, 0, 0, 0),
                "Mail me: anna.mueller+support@mail.example.co.uk or bob42@x.de.");
        assertRedacted("Écrivez à [EMAIL], merci !", new PiiCounts(1, 0, 0, 0),
                "Écrivez à jean-luc.dupont@orange.fr, merci !");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "user@localhost", "thanks @mention", "john at example dot com", "5 @ 3 each"})
    void notAnEmail(String text) {
        assertUntouched(text);
    }

    // IBAN: examples published by the registries (SWIFT IBAN registry, the national banks)

    @ParameterizedTest
    @ValueSource(strings = {
        "GB82 WEST 1234 5698 7654 32",
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91 ABNA 0417 1643 00",
        "CH93 0076 2011 6238 5295 7",
        "ES91 2100 0418 4502 0005 1332"})
    void publishedIbansAreReplaced(String iban) {
        assertRedacted("IBAN: [IBAN], danke.", new PiiCounts(0, 0, 0, 1), "IBAN: " + iban + ", danke.");
        assertTrue(Redactor.validIban(iban), iban);
    }

    @Test
    void anIbanWithOneDigitChangedIsNotAnIban() {
        // The check digits change 89 -> 88 and the last digit 2 -> 3: mod 97 no longer leaves 1.
        assertFalse(Redactor.validIban("DE88 3704 0044 0532 0130 00"));
        assertFalse(Redactor.validIban("GB82 WEST 1234 5698 7654 33"));
        // The digit runs left are no card either: 12345698765433 has the Luhn sum
        // (3+4+6+8+6+4+2) + (6+1+5+9+1+6+2) = 33 + 30 = 63, and no phone (groups 4 4 4 2, the
        // last too short for a number without 0 or +).
        assertUntouched("GB82 WEST 1234 5698 7654 33");
        Redacted de = Redactor.redact("DE88 3704 0044 0532 0130 00 ok");
        assertEquals(0, de.counts().ibans());
        assertFalse(de.text().contains("[IBAN]"));
    }

    @Test
    void anIbanOfTheWrongLengthOrAnUnknownCountryIsNotAnIban() {
        assertFalse(Redactor.validIban("DE89 3704 0044 0532 0130 0"));
        assertFalse(Redactor.validIban("ZZ89 3704 0044 0532 0130 00"));
        // Glued to a word: not the start of an IBAN.
        assertFalse(Redactor.redact("XDE89370400440532013000").changed());
    }

    @Test
    void anIbanInsideGermanText() {
        assertRedacted("Bitte überweisen Sie auf [IBAN], danke für Ihre Geduld.", new PiiCounts(0, 0, 0, 1),
                "Bitte überweisen Sie auf DE89 3704 0044 0532 0130 00, danke für Ihre Geduld.");
    }

    // Cards: the networks' published test numbers

    @Test
    void publishedTestCardNumbersAreReplaced() {
        assertRedacted("Karte [CARD], Amex [CARD] und [CARD].", new PiiCounts(0, 0, 3, 0),
                "Karte 4111 1111 1111 1111, Amex 3782 822463 10005 und 5500-0000-0000-0004.");
        assertRedacted("[CARD] / [CARD] / [CARD]", new PiiCounts(0, 0, 3, 0),
                "6011111111111117 / 3530 1113 3330 0000 / 4012-8888-8888-1881");
    }

    @Test
    void aCardFollowedByItsSecurityCodeIsStillFound() {
        // 4111 1111 1111 1111 123 has 19 digits and fails Luhn; its first 16 pass.
        assertRedacted("[CARD] 123", new PiiCounts(0, 0, 1, 0), "4111 1111 1111 1111 123");
    }

    @Test
    void aRunThatFailsLuhnIsNoCard() {
        // 4111 1111 1111 1112: Luhn sum 30 + 1 = 31. 16 digits are too many for a phone: it stays.
        assertFalse(Redactor.luhn("4111111111111112"));
        assertUntouched("ticket 4111 1111 1111 1112");
        // 0049 301 2345 678: 14 digits, Luhn sum (8+6+4+2+0+9+0) + (5+1+6+2+6+8+0) = 29 + 28 = 57,
        // so no card; with 00 and 12 digits after it, a phone.
        assertRedacted("ruf an: [PHONE]", new PiiCounts(0, 1, 0, 0), "ruf an: 0049 301 2345 678");
    }

    // Phones

    @ParameterizedTest
    @ValueSource(strings = {
        "+49 30 1234567", "+1 (415) 555-0132", "0044 20 7946 0958", "+44 (0)20 7946 0958", "(+49) 30 1234567",
        "030 1234567", "030/1234567", "(415) 555-0132", "06 12 34 56 78", "415.555.0132", "090-1234-5678",
        "0171 2345678", "1 800 555 0199", "555-0132", "612 345 678", "+4930123456"})
    void phonesInInternationalAndNationalFormats(String phone) {
        assertRedacted("Tel. [PHONE], bis bald", new PiiCounts(0, 1, 0, 0), "Tel. " + phone + ", bis bald");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "order 12345", "on 2026-11-27 at 10:30", "cost € 1,299.00", "in 2026", "le 27.11.2026 à 10h30",
        "am 27.11.2026 10:30", "am 05.11.2026 10:30", "1.299.000 € gespart", "129 999 000 €", "EUR 129 999 000",
        "ref ORD-2026-112701", "customer 12345678", "customer 00123456", "from 2019-2026", "v1.2.3 on 192.168.100.200",
        "items 12 15 18 22", "call 3 times", "11/27/2026", "a shift of 0.12345678", "-0.057427179090980",
        "Anteil 0,1234567", "p = 1.2345678E-5", "0.2962839750488887", "-0.012374612986273667",
        "2.0434855979495325E-16", "0.05840249446277804", "1.86491559473594E-11", "-1.30361239563883",
        "9.95364351088729"})
    void ordersDatesTimesAmountsAndYearsAreNotPhones(String text) {
        assertUntouched(text);
    }

    // Mixed and Unicode

    @Test
    void mixedSentenceInEveryLanguage() {
        assertRedacted("Call [PHONE] or [PHONE], card [CARD], mail [EMAIL], order 12345 on 2026-11-27.",
                new PiiCounts(1, 2, 1, 0),
                "Call +49 30 1234567 or (415) 555-0132, card 4111-1111-1111-1111, mail a.b+c@d.example.com, "
                        + "order 12345 on 2026-11-27.");
        assertRedacted("Mon numéro : [PHONE], écrivez à [EMAIL].", new PiiCounts(1, 1, 0, 0),
                "Mon numéro : 06 12 34 56 78, écrivez à jean.dupont@orange.fr.");
        assertRedacted("お電話番号は[PHONE]です。メールは[EMAIL]です。", new PiiCounts(1, 1, 0, 0),
                "お電話番号は090-1234-5678です。メールはtaro@example.jpです。");
        // Full-width digits and dash, as typed on Japanese keyboards.
        assertRedacted("番号：[PHONE]", new PiiCounts(0, 1, 0, 0), "番号：０９０－１２３４－５６７８");
    }

    @Test
    void textWithoutDigitsOrAtIsReturnedAsItIs() {
        String text = "Vielen Dank für Ihre Geduld, wir kümmern uns darum. ありがとうございます。";
        Redacted r = Redactor.redact(text);
        assertSame(text, r.text());
        assertSame(PiiCounts.ZERO, r.counts());
        assertFalse(r.changed());
        assertEquals(null, Redactor.redact(null).text());
    }

    @Test
    void countsAddUpAcrossTexts() {
        PiiCounts a = Redactor.redact("a@b.de 4111111111111111").counts();
        PiiCounts b = Redactor.redact("+49 30 1234567, c@d.fr").counts();
        assertEquals(new PiiCounts(2, 1, 1, 0), a.plus(b));
        PiiCounts.Tally left = new PiiCounts.Tally();
        left.accept(a);
        PiiCounts.Tally right = new PiiCounts.Tally();
        right.accept(b);
        assertEquals(a.plus(b), left.combine(right).counts());
        assertEquals(4, a.plus(b).total());
        assertEquals(1, a.get(PiiKind.CARD));
        assertEquals("[IBAN]", PiiKind.IBAN.placeholder());
    }

    // Properties

    /** Letters, accents, kana, spaces and punctuation: no digit and no {@code @}. */
    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withChars("abcxyzDEGBäéßの。 ,.;:!?()-+").ofMaxLength(30);
    }

    /** A 16-digit number with a Luhn check digit, compact or in groups of four by spaces or dashes. */
    @Provide
    Arbitrary<String> cards() {
        Arbitrary<String> body = Arbitraries.strings().numeric().ofLength(15);
        Arbitrary<String> separator = Arbitraries.of("", " ", "-");
        return Combinators.combine(body, separator).as((b, sep) -> {
            String digits = b + checkDigit(b);
            return String.join(sep, List.of(digits.substring(0, 4), digits.substring(4, 8),
                    digits.substring(8, 12), digits.substring(12)));
        });
    }

    /** Noise rich in digits and separators, with cards and addresses spliced in. */
    @Provide
    Arbitrary<String> noisy() {
        Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789012345678901234 --.+@()abDEGBé").ofMaxLength(40);
        Arbitrary<String> email = Arbitraries.strings().withChars("ab1.+-").ofMinLength(1).ofMaxLength(6)
                .map(local -> local + "@ex-1.co");
        return Arbitraries.oneOf(noise, cards(), email).list().ofMaxSize(6).map(parts -> String.join("", parts));
    }

    @Property(tries = 500)
    void anyLuhnValidNumberInTextIsReplaced(@ForAll("words") String before, @ForAll("cards") String card,
            @ForAll("words") String after) {
        Redacted r = Redactor.redact(before + " " + card + " " + after);
        assertEquals(before + " [CARD] " + after, r.text());
        assertEquals(new PiiCounts(0, 0, 1, 0), r.counts());
    }

    private static final Pattern RUN = Pattern.compile("[0-9](?:[ -]?[0-9])*");
    private static final Pattern COMPACT_RUN = Pattern.compile("[0-9]+");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

    @Property(tries = 1000)
    void outputHoldsNoLuhnValidRunAndNoAddress(@ForAll("noisy") String text) {
        String out = Redactor.redact(text).text();
        for (Pattern p : List.of(RUN, COMPACT_RUN)) {
            Matcher m = p.matcher(out);
            while (m.find()) {
                if (Redactor.fractionOfDecimal(out, m.start(), m.end())) {
                    continue; // the digits after "3." are a number's fraction, not a card
                }
                String digits = m.group().replaceAll("[^0-9]", "");
                boolean card = digits.length() >= 13 && digits.length() <= 19 && referenceLuhn(digits);
                assertFalse(card, () -> "Luhn-valid run '" + m.group() + "' left in '" + out + "' from '" + text + "'");
            }
        }
        assertFalse(ADDRESS.matcher(out).find(), () -> "address left in '" + out + "' from '" + text + "'");
    }

    /** Luhn written out independently of the class under test: double every second digit from the right. */
    private static boolean referenceLuhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            sum += i % 2 == 1 ? (2 * d) / 10 + (2 * d) % 10 : d;
        }
        return sum % 10 == 0;
    }

    private static int checkDigit(String body) {
        for (int c = 0; c <= 9; c++) {
            if (referenceLuhn(body + c)) {
                return c;
            }
        }
        throw new AssertionError(body);
    }
}
