package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** {@code Range} and {@code Content-Range} through {@link MessageHeaders} (RFC 9110 section 14). */
class RangeHeadersTest {

    private static List<Range> ranges(String header, long total) {
        MessageHeaders headers = new MessageHeaders();
        headers.append("Range", header);
        return headers.getRanges(total);
    }

    @Test
    void noRangeHeaderGivesNull() {
        assertThat(new MessageHeaders().getRanges(10)).isNull();
    }

    @Test
    void closedRangeIsKept() {
        assertThat(ranges("bytes=2-5", 10)).containsExactly(new Range(2, 5));
    }

    @Test
    void openRangeRunsToTheEnd() {
        assertThat(ranges("bytes=7-", 10)).containsExactly(new Range(7, 9));
    }

    @Test
    void suffixRangeIsTheLastBytes() {
        assertThat(ranges("bytes=-3", 10)).containsExactly(new Range(7, 9));
    }

    @Test
    void suffixLongerThanTheRepresentationIsTheWholeOfIt() {
        assertThat(ranges("bytes=-300", 10)).containsExactly(new Range(0, 9));
    }

    @Test
    void lastPositionPastTheEndIsClipped() {
        assertThat(ranges("bytes=5-100", 10)).containsExactly(new Range(5, 9));
    }

    @Test
    void rangeStartingPastTheEndIsUnsatisfiable() {
        assertThat(ranges("bytes=10-20", 10)).isEmpty();
        assertThat(ranges("bytes=10-20, 30-", 10)).isEmpty();
    }

    @Test
    void unsatisfiableMembersAreDroppedWhenOthersAreSatisfiable() {
        assertThat(ranges("bytes=50-60, 0-1", 10)).containsExactly(new Range(0, 1));
    }

    @Test
    void severalRangesAreSortedAndOverlapsMerged() {
        assertThat(ranges("bytes=6-8, 0-1, 1-3, -2", 10)).containsExactly(new Range(0, 3), new Range(6, 9));
    }

    @Test
    void unitAndSpacesAreTolerated() {
        assertThat(ranges(" Bytes = 0-1 , 3-4 ", 10)).containsExactly(new Range(0, 1), new Range(3, 4));
    }

    @Test
    void invalidRangeSetsAreIgnored() {
        assertThat(ranges("items=0-1", 10)).isNull();
        assertThat(ranges("bytes 0-1", 10)).isNull();
        assertThat(ranges("bytes=5-2", 10)).isNull();
        assertThat(ranges("bytes=a-b", 10)).isNull();
        assertThat(ranges("bytes=1", 10)).isNull();
        assertThat(ranges("bytes=", 10)).isNull();
        assertThat(ranges("bytes=-", 10)).isNull();
    }

    @Test
    void tooManyMembersAreIgnoredAsAnAttack() {
        assertThat(ranges("bytes=" + "0-0,".repeat(101), 10)).isNull();
    }

    @Test
    @Disabled("RangeSets treats bytes=-0 as invalid (header ignored, 200); RFC 9110 14.1.1 makes it valid but"
            + " unsatisfiable, so alone it should give 416. Fix reported to the lead.")
    void zeroLengthSuffixIsUnsatisfiable() {
        assertThat(ranges("bytes=-0", 10)).isEmpty();
    }

    @Test
    void setRangeAndSetRangesWriteRequestSyntax() {
        MessageHeaders headers = new MessageHeaders();
        headers.setRange(0, 99);
        assertThat(headers.getOne("Range")).isEqualTo("bytes=0-99");
        headers.setRanges(List.of(new Range(0, 0), new Range(-5, -1), new Range(10, -1)));
        assertThat(headers.getOne("Range")).isEqualTo("bytes=0-0,-5,10-");
        assertThat(headers.getRanges(20)).containsExactly(new Range(0, 0), new Range(10, 19));
    }

    @Test
    void contentRangeIsWrittenAndParsed() {
        MessageHeaders headers = new MessageHeaders();
        headers.setContentRange(0, 9, 100);
        assertThat(headers.getOne("Content-Range")).isEqualTo("bytes 0-9/100");
        assertThat(headers.getContentRange()).containsExactly(0, 9, 100);
        headers.setContentRange(0, 9, -1);
        assertThat(headers.getOne("Content-Range")).isEqualTo("bytes 0-9/*");
        assertThat(headers.getContentRange()).containsExactly(0, 9, -1);
    }

    @Test
    void unsatisfiedContentRangeIsParsed() {
        MessageHeaders headers = new MessageHeaders();
        headers.append("Content-Range", "bytes */47022");
        assertThat(headers.getContentRange()).containsExactly(-1, -1, 47022);
    }

    @Test
    void invalidContentRangeIsNull() {
        for (String value : List.of("bytes 5-2/10", "items 0-1/2", "bytes 0-1", "bytes 0-1/x", "bytes x-1/2")) {
            MessageHeaders headers = new MessageHeaders();
            headers.append("Content-Range", value);
            assertThat(headers.getContentRange()).as(value).isNull();
        }
        assertThat(new MessageHeaders().getContentRange()).isNull();
    }

    @Test
    void rangeLengthCountsBothEnds() {
        assertThat(new Range(5, 9).length()).isEqualTo(5);
    }
}
