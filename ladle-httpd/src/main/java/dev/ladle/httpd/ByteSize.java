package dev.ladle.httpd;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a byte count for {@code --max-body} and {@code --ws-max-message}: a plain number, or one with
 * a binary suffix {@code k}, {@code m} or {@code g} ({@code 16m} is 16 MiB). Zero and negative values
 * are refused.
 */
final class ByteSize implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        int shift = text.isEmpty() ? 0 : switch (text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (shift > 0) {
            text = text.substring(0, text.length() - 1);
        }
        long number;
        try {
            number = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a byte count (examples: 65536, 64k, 16m, 1g)");
        }
        if (number <= 0 || number > (Long.MAX_VALUE >> shift)) {
            throw new TypeConversionException("'" + value + "' is out of range: give a positive byte count");
        }
        return number << shift;
    }
}
