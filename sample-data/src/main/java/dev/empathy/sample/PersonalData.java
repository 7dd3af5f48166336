package dev.empathy.sample;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Personal data as customers type it into a conversation, fake by construction but shaped like the
 * real thing, so that a redactor has realistic work to do:
 * <ul>
 *   <li>e-mail addresses at the reserved domains {@code example.com}, {@code example.org} and
 *       {@code example.net} (RFC 2606);</li>
 *   <li>phone numbers in ranges kept for fiction: North American 555-0100 to 555-0199 (any area
 *       code) and the UK's 07700 900000 to 900999 (Ofcom's drama range), in international and
 *       national formats;</li>
 *   <li>payment card numbers of 13 to 19 digits with brand-like prefixes and a valid Luhn check
 *       digit (ISO/IEC 7812), grouped by spaces, dashes or not at all;</li>
 *   <li>IBANs with valid ISO 13616 mod-97 check digits (and valid national check digits for
 *       France and Spain), in print (groups of four) or electronic form.</li>
 * </ul>
 * Card numbers and IBANs are random apart from their checks; they are not known to belong to
 * anyone, but unlike the phone and e-mail ranges no range is reserved for them.
 *
 * <p>Built with {@link StringBuilder} appends only (no formatting, no regular expressions): the
 * generator writes millions of turns.
 */
final class PersonalData {

    /** The kinds counted in {@code truth.json}; {@link #leadIn()} indexes the phrase sections. */
    enum Kind {
        EMAIL(0), PHONE_INTERNATIONAL(1), PHONE_NATIONAL(1), PAYMENT_CARD(2), IBAN(3);

        private final int leadIn;

        Kind(int leadIn) {
            this.leadIn = leadIn;
        }

        int leadIn() {
            return leadIn;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static String[] leadInSections() {
            return new String[] {"pii.email", "pii.phone", "pii.card", "pii.iban"};
        }
    }

    /** Shares of the kinds among turns with personal data: e-mail, phone, card, IBAN. */
    static final double[] KIND_WEIGHTS = {0.30, 0.30, 0.25, 0.15};

    private static final String[] FIRST = {
        "anna", "ben", "carla", "david", "elena", "felix", "grace", "hiro", "ines", "jonas",
        "kenji", "laura", "marta", "nora", "omar", "paulo", "rosa", "sophie", "tom", "yuki"};
    private static final String[] LAST = {
        "smith", "mueller", "garcia", "martin", "silva", "tanaka", "brown", "schmidt",
        "lopez", "dubois", "santos", "sato", "jones", "weber", "moreau", "costa"};
    private static final String[] DOMAINS = {"example.com", "example.com", "example.org", "example.net"};

    private static final String[] US_AREA = {"201", "212", "213", "305", "312", "415", "503", "617", "702", "713"};
    private static final String[] CA_AREA = {"416", "514", "604", "613"};

    private record Brand(String[] prefixes, int length, int[] groups, double weight) {
    }

    private static final Brand[] BRANDS = {
        new Brand(new String[] {"4"}, 16, new int[] {4, 4, 4, 4}, 0.38),
        new Brand(new String[] {"51", "52", "53", "54", "55", "2221", "2720"}, 16, new int[] {4, 4, 4, 4}, 0.24),
        new Brand(new String[] {"34", "37"}, 15, new int[] {4, 6, 5}, 0.10),
        new Brand(new String[] {"6011", "65"}, 16, new int[] {4, 4, 4, 4}, 0.06),
        new Brand(new String[] {"3528", "3566", "3589"}, 16, new int[] {4, 4, 4, 4}, 0.05),
        new Brand(new String[] {"36"}, 14, new int[] {4, 6, 4}, 0.04),
        new Brand(new String[] {"4"}, 13, new int[] {4, 3, 3, 3}, 0.03),
        new Brand(new String[] {"62"}, 17, new int[] {4, 4, 4, 5}, 0.03),
        new Brand(new String[] {"6759", "5018"}, 18, new int[] {4, 4, 4, 4, 2}, 0.03),
        new Brand(new String[] {"4"}, 19, new int[] {4, 4, 4, 4, 3}, 0.04)};
    private static final double[] BRAND_WEIGHTS = new double[BRANDS.length];

    static {
        for (int i = 0; i < BRANDS.length; i++) {
            BRAND_WEIGHTS[i] = BRANDS[i].weight;
        }
    }

    /** IBAN countries drawn for customers whose own country has no IBAN. */
    private static final String[] IBAN_ELSEWHERE = {"DE", "GB", "FR", "ES", "NL"};
    private static final char[] LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    private PersonalData() {
    }

    /** The kind of personal data a customer of this country (ISO 3166 code) hands over. */
    static Kind draw(String country, SplittableRandom r) {
        return switch (Draw.weighted(r, KIND_WEIGHTS)) {
            case 0 -> Kind.EMAIL;
            case 1 -> hasFictionalNationalRange(country) && r.nextBoolean() ? Kind.PHONE_NATIONAL : Kind.PHONE_INTERNATIONAL;
            case 2 -> Kind.PAYMENT_CARD;
            default -> Kind.IBAN;
        };
    }

    /** Appends a value of the kind, as the customer would type it. */
    static void append(StringBuilder sb, Kind kind, String country, SplittableRandom r) {
        switch (kind) {
            case EMAIL -> email(sb, r);
            case PHONE_INTERNATIONAL -> phone(sb, country, true, r);
            case PHONE_NATIONAL -> phone(sb, country, false, r);
            case PAYMENT_CARD -> card(sb, r);
            case IBAN -> iban(sb, country, r);
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    private static boolean hasFictionalNationalRange(String country) {
        return "US".equals(country) || "CA".equals(country) || "GB".equals(country);
    }

    private static void email(StringBuilder sb, SplittableRandom r) {
        String first = FIRST[r.nextInt(FIRST.length)];
        String last = LAST[r.nextInt(LAST.length)];
        switch (r.nextInt(4)) {
            case 0 -> sb.append(first).append('.').append(last);
            case 1 -> sb.append(first).append('_').append(last);
            case 2 -> appendDigits(sb.append(first.charAt(0)).append(last), r.nextInt(100), 2);
            default -> sb.append(first).append(1960 + r.nextInt(46));
        }
        sb.append('@').append(DOMAINS[r.nextInt(DOMAINS.length)]);
    }

    private static void phone(StringBuilder sb, String country, boolean international, SplittableRandom r) {
        boolean uk = "GB".equals(country) || (!"US".equals(country) && !"CA".equals(country) && r.nextBoolean());
        int style = r.nextInt(3);
        if (uk) {
            int sub = r.nextInt(1000);
            if (international) {
                sb.append(style == 0 ? "+44 7700 900" : style == 1 ? "+447700900" : "+44 (0)7700 900");
            } else {
                sb.append(style == 0 ? "07700 900" : style == 1 ? "07700900" : "07700 900 ");
            }
            appendDigits(sb, sub, 3);
            return;
        }
        String area = "CA".equals(country) ? CA_AREA[r.nextInt(CA_AREA.length)] : US_AREA[r.nextInt(US_AREA.length)];
        int line = 100 + r.nextInt(100);
        if (international) {
            switch (style) {
                case 0 -> sb.append("+1 ").append(area).append(" 555 ");
                case 1 -> sb.append("+1-").append(area).append("-555-");
                default -> sb.append("+1 (").append(area).append(") 555-");
            }
        } else {
            switch (style) {
                case 0 -> sb.append('(').append(area).append(") 555-");
                case 1 -> sb.append(area).append("-555-");
                default -> sb.append(area).append(".555.");
            }
        }
        appendDigits(sb, line, 4);
    }

    private static void card(StringBuilder sb, SplittableRandom r) {
        Brand brand = BRANDS[Draw.weighted(r, BRAND_WEIGHTS)];
        String prefix = brand.prefixes[r.nextInt(brand.prefixes.length)];
        char[] digits = new char[brand.length];
        prefix.getChars(0, prefix.length(), digits, 0);
        for (int i = prefix.length(); i < digits.length - 1; i++) {
            digits[i] = (char) ('0' + r.nextInt(10));
        }
        digits[digits.length - 1] = (char) ('0' + luhnCheckDigit(digits, digits.length - 1));
        double u = r.nextDouble();
        char separator = u < 0.55 ? ' ' : u < 0.70 ? '-' : 0;
        int at = 0;
        for (int g = 0; g < brand.groups.length; g++) {
            if (g > 0 && separator != 0) {
                sb.append(separator);
            }
            sb.append(digits, at, brand.groups[g]);
            at += brand.groups[g];
        }
    }

    /**
     * The Luhn check digit of the first {@code payload} digits: from the right, every second
     * digit starting with the rightmost is doubled (9 subtracted when above 9), and the check digit
     * brings the sum to a multiple of 10 (ISO/IEC 7812-1, annex B).
     */
    static int luhnCheckDigit(char[] digits, int payload) {
        int sum = 0;
        boolean twice = true;
        for (int i = payload - 1; i >= 0; i--) {
            int d = digits[i] - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return (10 - sum % 10) % 10;
    }

    private static void iban(StringBuilder sb, String country, SplittableRandom r) {
        String code = switch (country) {
            case "DE", "FR", "ES", "GB", "BR" -> country;
            case "MX" -> "ES";
            default -> IBAN_ELSEWHERE[r.nextInt(IBAN_ELSEWHERE.length)];
        };
        StringBuilder bban = new StringBuilder(30);
        switch (code) {
            case "DE" -> randomDigits(bban, 18, r);                      // bank code 8, account 10
            case "GB" -> randomDigits(randomLetters(bban, 4, r), 14, r);  // bank 4 letters, sort code 6, account 8
            case "NL" -> randomDigits(randomLetters(bban, 4, r), 10, r);  // bank 4 letters, account 10
            case "FR" -> frenchBban(bban, r);
            case "ES" -> spanishBban(bban, r);
            case "BR" -> randomDigits(bban, 23, r).append('C').append('1'); // bank 8, branch 5, account 10, type, owner
            default -> throw new IllegalStateException(code);
        }
        int check = 98 - mod97(bban, code);
        StringBuilder iban = new StringBuilder(34).append(code);
        appendDigits(iban, check, 2).append(bban);
        if (r.nextDouble() < 0.35) {
            sb.append(iban);
            return;
        }
        for (int i = 0; i < iban.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append(' ');
            }
            sb.append(iban.charAt(i));
        }
    }

    /**
     * The ISO 13616 remainder of BBAN + country + "00", letters read as two digits (A = 10 ... Z =
     * 35), folded digit by digit so no big integer is needed. Check digits = 98 - remainder.
     */
    static int mod97(CharSequence bban, String country) {
        int m = 0;
        for (int i = 0; i < bban.length(); i++) {
            m = fold(m, bban.charAt(i));
        }
        m = fold(m, country.charAt(0));
        m = fold(m, country.charAt(1));
        m = (m * 10) % 97;
        return (m * 10) % 97;
    }

    private static int fold(int m, char c) {
        if (c >= '0' && c <= '9') {
            return (m * 10 + (c - '0')) % 97;
        }
        int v = c - 'A' + 10;
        return (m * 100 + v) % 97;
    }

    /** Bank 5, branch 5, account 11 digits, RIB key = 97 - (89 bank + 15 branch + 3 account) mod 97. */
    private static void frenchBban(StringBuilder bban, SplittableRandom r) {
        long bank = r.nextInt(100_000);
        long branch = r.nextInt(100_000);
        long account = r.nextLong(100_000_000_000L);
        long key = 97 - (89 * bank + 15 * branch + 3 * account) % 97;
        appendDigits(bban, bank, 5);
        appendDigits(bban, branch, 5);
        appendDigits(bban, account, 11);
        appendDigits(bban, key, 2);
    }

    /** Bank 4, branch 4, two national check digits (weights 1 2 4 8 5 10 9 7 3 6, mod 11), account 10. */
    private static void spanishBban(StringBuilder bban, SplittableRandom r) {
        StringBuilder bankBranch = appendDigits(new StringBuilder(10).append("00"), r.nextInt(100_000_000), 8);
        StringBuilder account = randomDigits(new StringBuilder(10), 10, r);
        bban.append(bankBranch, 2, 10)
                .append(spanishCheck(bankBranch)).append(spanishCheck(account))
                .append(account);
    }

    private static final int[] SPANISH_WEIGHTS = {1, 2, 4, 8, 5, 10, 9, 7, 3, 6};

    private static int spanishCheck(CharSequence tenDigits) {
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += (tenDigits.charAt(i) - '0') * SPANISH_WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        return check == 11 ? 0 : check == 10 ? 1 : check;
    }

    private static StringBuilder randomDigits(StringBuilder sb, int n, SplittableRandom r) {
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb;
    }

    private static StringBuilder randomLetters(StringBuilder sb, int n, SplittableRandom r) {
        for (int i = 0; i < n; i++) {
            sb.append(LETTERS[r.nextInt(LETTERS.length)]);
        }
        return sb;
    }

    /** Appends {@code value} zero-padded to {@code width} digits. */
    private static StringBuilder appendDigits(StringBuilder sb, long value, int width) {
        long limit = 1;
        for (int i = 1; i < width; i++) {
            limit *= 10;
        }
        for (long place = limit; place >= 1; place /= 10) {
            sb.append((char) ('0' + (value / place) % 10));
        }
        return sb;
    }
}
