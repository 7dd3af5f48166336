package dev.empathy.lib.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in free text by placeholders before the text is written anywhere
 * (examples, logs, error messages): e-mail addresses by {@code [EMAIL]}, IBANs by {@code [IBAN]},
 * payment card numbers by {@code [CARD]} and phone numbers by {@code [PHONE]}, and counts each
 * kind for the manifest.
 *
 * <p>The passes run in this order, each on the output of the one before, so that a value is
 * taken by the most specific rule: an e-mail address may hold digits, an IBAN holds a long digit
 * run that must not become a card or a phone, and a card number must not become a phone.
 *
 * <ol>
 *   <li><b>E-mail</b>: a local part of Latin letters, digits and {@code . _ % + ' -} (so plus
 *       addresses such as {@code anna+support@...}), {@code @}, one or more domain labels of Latin
 *       letters, digits and hyphens each followed by a dot (subdomains), and a top-level domain of
 *       2 to 63 ASCII letters. Japanese or other non-Latin text glued to the address stays.
 *   <li><b>IBAN</b> (ISO 13616): two letters of a country in the IBAN registry, two check digits,
 *       then exactly that country's length in letters and digits, written compact or with single
 *       spaces (the printed groups of four), ending where a letter or digit does not follow; the
 *       whole must leave remainder 1 modulo 97 (ISO 7064 MOD 97-10). A wrong digit fails the
 *       checksum and the text stays as written. Countries outside the table are not taken.
 *   <li><b>Card</b>: a run of digits in which single spaces or dashes may separate groups is split
 *       at those separators; the longest span of whole groups with 13 to 19 digits that passes the
 *       Luhn check, leftmost first, is a card, and the rest of the run is examined again. A span
 *       that fails Luhn is not a card; it is left to the phone pass, which takes it only if it
 *       looks like a phone (so at most 15 digits). Every Luhn-valid span is a card, even one that
 *       was meant as a phone number of 13 or more digits (about one in ten of those): it is
 *       replaced either way, only counted as a card.
 *   <li><b>Phone</b>: an optional {@code +}, then groups of digits, an area code in parentheses
 *       allowed ({@code (415)}, {@code (0)20}), separated by one space or one of
 *       {@code - . /} (spaces around it allowed). It is a phone when all of these hold:
 *       <ul>
 *         <li>7 to 15 digits, not counting a leading {@code 00} international prefix;
 *         <li>it starts with {@code +}, {@code 0} or {@code (}, or else it is written in groups
 *             (a compact run such as {@code 12345678} is an order or customer number), every group
 *             after the first has at least 3 digits, and the first has at least 3 or the whole at
 *             least 10 ({@code 1 800 555 0199});
 *         <li>it holds no date ({@code 2026-11-27}, {@code 27.11.2026}, {@code 11/27/2026}: day,
 *             month and year in range, one separator kind) and is not a run of years
 *             ({@code 2019-2026});
 *         <li>it is not an amount: not grouped in thousands by dots ({@code 1.299.000}) and no
 *             currency sign or code right before or after it ({@code € 129 999 000});
 *         <li>it is not the tail of a code: no letter or digit, then {@code -}, {@code /},
 *             {@code #} or {@code _}, right before it ({@code ORD-2026-112701}).
 *       </ul>
 *       So order numbers such as {@code order 12345}, dates, times ({@code 10:30}), amounts
 *       ({@code € 1,299.00}) and years stay, while {@code +49 30 1234567},
 *       {@code +1 (415) 555-0132}, {@code 0044 20 7946 0958}, {@code 030 1234567},
 *       {@code (415) 555-0132}, {@code 06 12 34 56 78}, {@code 415.555.0132} and
 *       {@code 090-1234-5678} go. A compact national number without a leading {@code 0} or
 *       {@code +} ({@code 4155550132}) is not taken: that is the price of keeping order numbers.
 *       A decimal number is never a phone or a card: digits, one point or comma, digits
 *       ({@code 1.86491559473594}) is not a phone, and the digits right after a digit and a point
 *       or comma ({@code 0.2962839750488887}, Luhn-valid) are not a card.
 * </ol>
 *
 * <p>Digits may be ASCII or full-width ({@code ０-９}, common in Japanese text). Text without any
 * digit and without {@code @} (most turns) is returned as it is without running a pattern. The
 * class holds only compiled patterns and constant tables, so it can be called from any thread and
 * inside Spark tasks.
 */
public final class Redactor {

    /** An ASCII or full-width digit. */
    private static final String D = "[0-9\\uFF10-\\uFF19]";
    private static final String SPACE = "[ \\u00A0]";
    private static final String DASHES = "\\-\\u2010-\\u2015\\uFF0D";

    private static final Pattern EMAIL = Pattern.compile(
            "[\\p{IsLatin}\\p{N}._%+'\\-]+@(?:[\\p{IsLatin}\\p{N}\\-]+\\.)+[A-Za-z]{2,63}");

    /** Where an IBAN may start: two letters and two digits, not inside a longer word. */
    private static final Pattern IBAN_START = Pattern.compile("(?<![\\p{IsLatin}\\p{N}])[A-Za-z]{2}[0-9]{2}");

    /** A run of digits with single spaces or dashes between groups. */
    private static final Pattern DIGIT_RUN = Pattern.compile(
            "(?<!" + D + ")" + D + "(?:[ \\u00A0" + DASHES + "]?" + D + ")*+");

    private static final String PART = "(?:\\(" + D + "{1,6}\\)" + SPACE + "?)?" + D + "++";
    private static final String PHONE_SEPARATOR =
            "(?:" + SPACE + "?[./" + DASHES + "]" + SPACE + "?|" + SPACE + ")";
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\p{IsLatin}\\p{N}_+])(?<!\\p{N}[.,])(?:\\+" + SPACE + "?|\\(\\+" + D + "{1,4}\\)" + SPACE + "?)?" + PART + "(?:" + PHONE_SEPARATOR + PART + ")*+");

    /** Day, month and year with one separator kind, in either order. */
    private static final Pattern DATE = Pattern.compile(
            "(?<!\\d)(?:(\\d{4})([-./])(\\d{1,2})\\2(\\d{1,2})|(\\d{1,2})([-./])(\\d{1,2})\\6(\\d{2}|\\d{4}))(?!\\d)");
    private static final Pattern YEARS = Pattern.compile("(?:(?:19|20)\\d\\d\\D{1,3})+(?:19|20)\\d\\d");
    private static final Pattern CURRENCY_BEFORE = Pattern.compile(
            "(?i)(?:\\p{Sc}|\\b(?:eur|usd|gbp|chf|jpy|cad|aud))[ \\u00A0]{0,2}$");
    private static final Pattern CURRENCY_AFTER = Pattern.compile(
            "(?i)^[ \\u00A0]{0,2}(?:\\p{Sc}|\u5186|(?:eur|euros?|usd|gbp|chf|jpy|cad|aud|dollars?|yen)\\b)");

    /** IBAN length by country, as in the SWIFT IBAN registry; a country missing here is never taken. */
    private static final Map<String, Integer> IBAN_LENGTH = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20),
            Map.entry("AZ", 28), Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22),
            Map.entry("BH", 22), Map.entry("BR", 29), Map.entry("BY", 28), Map.entry("CH", 21),
            Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22),
            Map.entry("DK", 18), Map.entry("DO", 28), Map.entry("EE", 20), Map.entry("EG", 29),
            Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FO", 18), Map.entry("FR", 27),
            Map.entry("GB", 22), Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18),
            Map.entry("GR", 27), Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28),
            Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26),
            Map.entry("IT", 27), Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20),
            Map.entry("LB", 28), Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20),
            Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("LY", 25), Map.entry("MC", 27),
            Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MR", 27),
            Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NL", 18), Map.entry("NO", 15),
            Map.entry("PK", 24), Map.entry("PL", 28), Map.entry("PS", 29), Map.entry("PT", 25),
            Map.entry("QA", 29), Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("SA", 24),
            Map.entry("SC", 31), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24),
            Map.entry("SM", 27), Map.entry("ST", 25), Map.entry("SV", 28), Map.entry("TL", 23),
            Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22),
            Map.entry("VG", 24), Map.entry("XK", 20));

    private Redactor() {
    }

    /** The text with every e-mail address, IBAN, card and phone number replaced, and the counts. */
    public static Redacted redact(String text) {
        if (text == null || !mayHoldPii(text)) {
            return new Redacted(text, PiiCounts.ZERO);
        }
        long[] n = new long[PiiKind.values().length];
        String s = replaceEmails(text, n);
        s = replaceIbans(s, n);
        s = replaceCards(s, n);
        s = replacePhones(s, n);
        return new Redacted(s, new PiiCounts(n[PiiKind.EMAIL.ordinal()], n[PiiKind.PHONE.ordinal()],
                n[PiiKind.CARD.ordinal()], n[PiiKind.IBAN.ordinal()]));
    }

    /** Whether the text has a digit or an {@code @}; without either no rule can match. */
    static boolean mayHoldPii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '@' || c >= '0' && c <= '9' || c >= '\uFF10' && c <= '\uFF19') {
                return true;
            }
        }
        return false;
    }

    /** Whether the digits of {@code number} (other characters skipped) pass the Luhn check. */
    public static boolean luhn(CharSequence number) {
        int sum = 0;
        boolean doubled = false;
        int digits = 0;
        for (int i = number.length() - 1; i >= 0; i--) {
            int d = Character.digit(number.charAt(i), 10);
            if (d < 0) {
                continue;
            }
            digits++;
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return digits > 0 && sum % 10 == 0;
    }

    /**
     * Whether {@code iban} (spaces allowed) is a valid IBAN: a country in the registry, its length,
     * and remainder 1 of the number formed by moving the first four characters to the end and
     * writing each letter as 10..35 (ISO 13616 / ISO 7064 MOD 97-10).
     */
    public static boolean validIban(CharSequence iban) {
        StringBuilder compact = new StringBuilder();
        for (int i = 0; i < iban.length(); i++) {
            char c = iban.charAt(i);
            if (c != ' ' && c != '\u00A0') {
                compact.append(Character.toUpperCase(c));
            }
        }
        if (compact.length() < 4) {
            return false;
        }
        Integer length = IBAN_LENGTH.get(compact.substring(0, 2));
        if (length == null || compact.length() != length
                || !isAsciiDigit(compact.charAt(2)) || !isAsciiDigit(compact.charAt(3))) {
            return false;
        }
        String rearranged = compact.substring(4) + compact.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (isAsciiDigit(c)) {
                remainder = (remainder * 10 + (c - '0')) % 97;
            } else if (c >= 'A' && c <= 'Z') {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            } else {
                return false;
            }
        }
        return remainder == 1;
    }

    private static String replaceEmails(String s, long[] n) {
        if (s.indexOf('@') < 0) {
            return s;
        }
        Matcher m = EMAIL.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            out.append(s, last, m.start()).append(PiiKind.EMAIL.placeholder());
            last = m.end();
            n[PiiKind.EMAIL.ordinal()]++;
        }
        return last == 0 ? s : out.append(s, last, s.length()).toString();
    }

    private static String replaceIbans(String s, long[] n) {
        Matcher m = IBAN_START.matcher(s);
        StringBuilder out = null;
        int last = 0;
        int from = 0;
        while (from < s.length() && m.find(from)) {
            int end = ibanEnd(s, m.start());
            if (end < 0) {
                from = m.start() + 1;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, last, m.start()).append(PiiKind.IBAN.placeholder());
            last = end;
            from = end;
            n[PiiKind.IBAN.ordinal()]++;
        }
        return out == null ? s : out.append(s, last, s.length()).toString();
    }

    /**
     * The end of a valid IBAN that starts at {@code start}, or -1: the country's number of letters
     * and digits, single spaces allowed between them, not followed by a letter or digit.
     */
    private static int ibanEnd(String s, int start) {
        Integer length = IBAN_LENGTH.get(s.substring(start, start + 2).toUpperCase(Locale.ROOT));
        if (length == null) {
            return -1;
        }
        int taken = 0;
        int i = start;
        while (i < s.length() && taken < length) {
            char c = s.charAt(i);
            if (isAsciiAlnum(c)) {
                taken++;
                i++;
            } else if ((c == ' ' || c == '\u00A0') && taken > 0 && i + 1 < s.length() && isAsciiAlnum(s.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (taken < length || i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
            return -1;
        }
        return validIban(s.substring(start, i)) ? i : -1;
    }

    private static String replaceCards(String s, long[] n) {
        Matcher m = DIGIT_RUN.matcher(s);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (m.end() - m.start() < 13 || fractionOfDecimal(s, m.start(), m.end())) {
                continue;
            }
            int[] bounds = groups(s, m.start(), m.end());
            int groups = bounds.length / 2;
            int i = 0;
            while (i < groups) {
                int j = longestLuhnSpan(s, bounds, i);
                if (j < 0) {
                    i++;
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, last, bounds[2 * i]).append(PiiKind.CARD.placeholder());
                last = bounds[2 * j + 1];
                n[PiiKind.CARD.ordinal()]++;
                i = j + 1;
            }
        }
        return out == null ? s : out.append(s, last, s.length()).toString();
    }

    /** Start and end of each group of digits in {@code s[from, to)}, as pairs. */
    private static int[] groups(String s, int from, int to) {
        int[] bounds = new int[to - from + 1];
        int k = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 10) < 0) {
                bounds[k++] = start;
                bounds[k++] = i;
                start = i + 1;
            }
        }
        bounds[k++] = start;
        bounds[k++] = to;
        return Arrays.copyOf(bounds, k);
    }

    /** The last group of the longest Luhn-valid span of 13..19 digits from group {@code i}, or -1. */
    private static int longestLuhnSpan(String s, int[] bounds, int i) {
        int groups = bounds.length / 2;
        for (int j = groups - 1; j >= i; j--) {
            int digits = 0;
            for (int g = i; g <= j; g++) {
                digits += bounds[2 * g + 1] - bounds[2 * g];
            }
            if (digits >= 13 && digits <= 19 && luhn(s.substring(bounds[2 * i], bounds[2 * j + 1]))) {
                return j;
            }
        }
        return -1;
    }

    private static String replacePhones(String s, long[] n) {
        Matcher m = PHONE.matcher(s);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (!isPhone(s, m.start(), m.end())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, last, m.start()).append(PiiKind.PHONE.placeholder());
            last = m.end();
            n[PiiKind.PHONE.ordinal()]++;
        }
        return out == null ? s : out.append(s, last, s.length()).toString();
    }

    /** Digits, one point or comma, digits: how a decimal number is written (no phone is). */
    private static boolean decimal(String candidate) {
        int marks = 0;
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c == '.' || c == ',') {
                marks++;
            } else if (Character.digit(c, 10) < 0) {
                return false;
            }
        }
        return marks == 1;
    }

    /**
     * Whether {@code s[start, end)} is the fraction of a decimal number: digits only, right after a
     * digit and a point or comma ({@code 0.2962839750488887} holds a Luhn-valid run of 16 digits;
     * a card number is never written glued to a decimal point).
     */
    static boolean fractionOfDecimal(String s, int start, int end) {
        if (start < 2 || (s.charAt(start - 1) != '.' && s.charAt(start - 1) != ',')
                || Character.digit(s.charAt(start - 2), 10) < 0) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (Character.digit(s.charAt(i), 10) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The rules of the class comment for a candidate {@code s[start, end)}. */
    static boolean isPhone(String s, int start, int end) {
        String candidate = s.substring(start, end);
        StringBuilder digits = new StringBuilder();
        List<Integer> groupSizes = new ArrayList<>();
        int group = 0;
        boolean separated = false;
        for (int i = 0; i < candidate.length(); i++) {
            int d = Character.digit(candidate.charAt(i), 10);
            if (d >= 0) {
                digits.append((char) ('0' + d));
                group++;
            } else {
                if (group > 0) {
                    groupSizes.add(group);
                    separated = true;
                }
                group = 0;
            }
        }
        if (group > 0) {
            groupSizes.add(group);
        }
        char first = candidate.charAt(0);
        boolean international = first == '+' || candidate.startsWith("(+");
        String ascii = digits.toString();
        int significant = !international && ascii.startsWith("00") ? ascii.length() - 2 : ascii.length();
        if (significant < 7 || significant > 15) {
            return false;
        }
        String normalized = normalizeDigits(candidate);
        if (holdsDate(normalized) || YEARS.matcher(normalized).matches()) {
            return false;
        }
        if (nearCurrency(s, start, end) || tailOfCode(s, start)) {
            return false;
        }
        if (groupSizes.size() == 2 && decimal(candidate)) {
            return false; // a decimal number such as 0.12345678 or 1.86491559473594, not a phone
        }
        boolean prefixed = international || first == '(' || ascii.charAt(0) == '0';
        if (prefixed) {
            return true;
        }
        if (!separated || thousands(normalized, groupSizes)) {
            return false;
        }
        for (int g = 1; g < groupSizes.size(); g++) {
            if (groupSizes.get(g) < 3) {
                return false;
            }
        }
        return groupSizes.get(0) >= 3 || significant >= 10;
    }

    private static boolean holdsDate(String candidate) {
        Matcher m = DATE.matcher(candidate);
        while (m.find()) {
            int year;
            int month;
            int day;
            if (m.group(1) != null) {
                year = Integer.parseInt(m.group(1));
                month = Integer.parseInt(m.group(3));
                day = Integer.parseInt(m.group(4));
                if (year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31) {
                    return true;
                }
            } else {
                int a = Integer.parseInt(m.group(5));
                int b = Integer.parseInt(m.group(7));
                boolean dayMonth = a >= 1 && a <= 31 && b >= 1 && b <= 12;
                boolean monthDay = a >= 1 && a <= 12 && b >= 1 && b <= 31;
                if (dayMonth || monthDay) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Groups of three after a first group of one to three, separated by dots only: an amount. */
    private static boolean thousands(String candidate, List<Integer> groupSizes) {
        if (groupSizes.size() < 2 || groupSizes.get(0) > 3) {
            return false;
        }
        for (int g = 1; g < groupSizes.size(); g++) {
            if (groupSizes.get(g) != 3) {
                return false;
            }
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!Character.isDigit(c) && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** A currency sign or code right before or after the candidate, spaces allowed between. */
    private static boolean nearCurrency(String s, int start, int end) {
        return CURRENCY_BEFORE.matcher(s.substring(Math.max(0, start - 6), start)).find()
                || CURRENCY_AFTER.matcher(s.substring(end, Math.min(s.length(), end + 10))).find();
    }

    /** Preceded by a letter or digit and then one of {@code - / # _}: part of a longer code. */
    private static boolean tailOfCode(String s, int start) {
        if (start < 2) {
            return false;
        }
        char before = s.charAt(start - 1);
        return (before == '-' || before == '/' || before == '#' || before == '_')
                && Character.isLetterOrDigit(s.charAt(start - 2));
    }

    private static String normalizeDigits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= '\uFF10' && c <= '\uFF19' ? (char) ('0' + (c - '\uFF10')) : c);
        }
        return b.toString();
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiAlnum(char c) {
        return isAsciiDigit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }
}
