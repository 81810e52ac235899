package org.jrunc.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a WWW-Authenticate header (RFC 7235): a scheme, lower-cased, and its parameters, names
 * lower-cased. One header may hold several challenges separated by commas, and quoted values may hold commas and
 * backslash escapes, so the header is tokenized rather than split.
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {
    static final String BEARER = "bearer";
    static final String BASIC = "basic";

    AuthChallenge {
        parameters = Map.copyOf(parameters);
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** Every challenge in the given header values, in order; malformed parts end the parse of their value. */
    static List<AuthChallenge> parseAll(List<String> headerValues) {
        List<AuthChallenge> challenges = new ArrayList<>();
        for (String value : headerValues) {
            challenges.addAll(new Parser(value).challenges());
        }
        return challenges;
    }

    static List<AuthChallenge> parse(String headerValue) {
        return new Parser(headerValue).challenges();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        List<AuthChallenge> challenges() {
            List<AuthChallenge> result = new ArrayList<>();
            skipSeparators();
            while (pos < text.length()) {
                String scheme = token();
                if (scheme.isEmpty()) {
                    return result; // no scheme where one must be: nothing further is reliable
                }
                Map<String, String> parameters = new LinkedHashMap<>();
                skipSpaces();
                boolean wellFormed = parameters(parameters);
                result.add(new AuthChallenge(scheme.toLowerCase(Locale.ROOT), parameters));
                if (!wellFormed) {
                    return result;
                }
                skipSeparators();
            }
            return result;
        }

        /**
         * The auth-params after a scheme, up to the next challenge's scheme (a token after a comma that no '='
         * follows). A token68 right after the scheme (Basic's base64 form) is skipped. False when the value is
         * malformed from here on.
         */
        private boolean parameters(Map<String, String> into) {
            boolean first = true;
            while (pos < text.length()) {
                if (first && text.charAt(pos) == ',') {
                    return true; // a scheme without parameters
                }
                int start = pos;
                String name = token();
                skipSpaces();
                if (name.isEmpty() || pos >= text.length() || text.charAt(pos) != '=' || isPadding()) {
                    pos = start;
                    return (first && skipToken68()) || (!first && !name.isEmpty());
                }
                pos++; // '='
                skipSpaces();
                Optional<String> value =
                        pos < text.length() && text.charAt(pos) == '"' ? quoted() : Optional.of(token());
                if (value.isEmpty()) {
                    return false;
                }
                into.put(name.toLowerCase(Locale.ROOT), value.get());
                skipSpaces();
                if (pos < text.length() && text.charAt(pos) != ',') {
                    return false;
                }
                skipSeparators();
                first = false;
            }
            return true;
        }

        /** At an '=': "abc==" or "abc=" at the end is a token68's padding, not the parameter "abc". */
        private boolean isPadding() {
            int p = pos;
            while (p < text.length() && text.charAt(p) == '=') {
                p++;
            }
            int q = p;
            while (q < text.length() && (text.charAt(q) == ' ' || text.charAt(q) == '\t')) {
                q++;
            }
            return p - pos >= 2 || (p > pos && (q >= text.length() || text.charAt(q) == ','));
        }

        private boolean skipToken68() {
            int start = pos;
            while (pos < text.length() && isToken68Char(text.charAt(pos))) {
                pos++;
            }
            while (pos < text.length() && text.charAt(pos) == '=') {
                pos++;
            }
            if (pos == start) {
                return false;
            }
            skipSpaces();
            return pos >= text.length() || text.charAt(pos) == ',';
        }

        private Optional<String> quoted() {
            StringBuilder sb = new StringBuilder();
            pos++; // opening quote
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return Optional.of(sb.toString());
                }
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                sb.append(c);
            }
            return Optional.empty(); // unterminated
        }

        private String token() {
            int start = pos;
            while (pos < text.length() && isTokenChar(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private void skipSpaces() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private void skipSeparators() {
            while (pos < text.length()
                    && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t' || text.charAt(pos) == ',')) {
                pos++;
            }
        }

        private static boolean isTokenChar(char c) {
            return (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }

        private static boolean isToken68Char(char c) {
            return (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~+/".indexOf(c) >= 0;
        }
    }
}
