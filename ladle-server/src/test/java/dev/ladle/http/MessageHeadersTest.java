package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link MessageHeaders} and the {@link HeaderValue} parsing behind its Content-Type and Content-Disposition. */
class MessageHeadersTest {

    private static MessageHeaders of(String... namesAndValues) {
        MessageHeaders headers = new MessageHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.append(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    @Test
    void namesAreCaseInsensitiveAndOrderIsKept() {
        MessageHeaders headers = of("X-A", "1", "x-b", "2", "x-a", "3");
        assertThat(headers.getAll("x-A")).containsExactly("1", "3");
        assertThat(headers.names()).containsExactly("X-A", "x-b");
        List<String> seen = new ArrayList<>();
        headers.forEach((n, v) -> seen.add(n + "=" + v));
        assertThat(seen).containsExactly("X-A=1", "x-b=2", "x-a=3");
    }

    @Test
    void getOneReturnsTheLastValueAndGetListJoinsThemAll() {
        MessageHeaders headers = of("Accept", "a", "Accept", "b");
        assertThat(headers.getOne("accept")).isEqualTo("b");
        assertThat(headers.getList("ACCEPT")).isEqualTo("a, b");
        assertThat(headers.getOne("missing")).isNull();
        assertThat(headers.getList("missing")).isNull();
    }

    @Test
    void replaceKeepsThePositionOfTheFirstFieldAndDropsTheOthers() {
        MessageHeaders headers = of("A", "1", "B", "2", "a", "3");
        headers.replace("A", "new");
        assertThat(headers.size()).isEqualTo(2);
        assertThat(headers.nameAt(0)).isEqualTo("A");
        assertThat(headers.valueAt(0)).isEqualTo("new");
        assertThat(headers.nameAt(1)).isEqualTo("B");
    }

    @Test
    void removeDropsEveryFieldOfThatName() {
        MessageHeaders headers = of("A", "1", "B", "2", "a", "3");
        headers.remove("a");
        assertThat(headers.size()).isEqualTo(1);
        assertThat(headers.contains("A")).isFalse();
        headers.remove("nothing");
        headers.clear();
        assertThat(headers.isEmpty()).isTrue();
    }

    @Test
    void manyFieldsGrowTheStorage() {
        MessageHeaders headers = new MessageHeaders();
        for (int i = 0; i < 100; i++) {
            headers.append("H" + i, Integer.toString(i));
        }
        assertThat(headers.size()).isEqualTo(100);
        assertThat(headers.getOne("h99")).isEqualTo("99");
    }

    @Test
    void valueWithCrLfIsRejectedSoNoHandlerCanSplitAResponse() {
        MessageHeaders headers = new MessageHeaders();
        assertThatThrownBy(() -> headers.append("X", "a\r\nSet-Cookie: evil")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.replace("X", "a\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.append("X", "\u20ac")).isInstanceOf(IllegalArgumentException.class);
        assertThat(headers.isEmpty()).isTrue();
    }

    @Test
    void nameThatIsNotATokenIsRejected() {
        MessageHeaders headers = new MessageHeaders();
        assertThatThrownBy(() -> headers.append("Bad Name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.append("", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.append("X:", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.append(null, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.append("X", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tabAndObsTextAreAllowedInValues() {
        assertThat(of("X", "a\tb \u00e9").getOne("X")).isEqualTo("a\tb \u00e9");
    }

    @Test
    void headerContainsMatchesWholeListElementsIgnoringCaseAndParameters() {
        MessageHeaders headers = of("Connection", "keep-alive, Upgrade", "Accept-Encoding", "gzip;q=1.0 , br");
        assertThat(headers.headerContains("connection", "upgrade")).isTrue();
        assertThat(headers.headerContains("Connection", "keep")).isFalse();
        assertThat(headers.headerContains("Accept-Encoding", "gzip")).isTrue();
        assertThat(headers.headerContains("Accept-Encoding", "br")).isTrue();
        assertThat(headers.headerContains("Missing", "x")).isFalse();
    }

    @Test
    void headerEqualsIgnoresCaseAndSurroundingSpace() {
        assertThat(of("Upgrade", " WebSocket ").headerEquals("upgrade", "websocket")).isTrue();
        assertThat(of("Upgrade", "websocket2").headerEquals("upgrade", "websocket")).isFalse();
    }

    @Test
    void contentLengthIsParsedStrictly() {
        assertThat(of("Content-Length", "42").getContentLength()).isEqualTo(42);
        assertThat(of("Content-Length", "42, 42").getContentLength()).isEqualTo(42);
        assertThat(of("Content-Length", "42", "Content-Length", "42").getContentLength()).isEqualTo(42);
        assertThat(of("Content-Length", "42", "Content-Length", "43").getContentLength()).isEqualTo(-1);
        assertThat(of("Content-Length", "+42").getContentLength()).isEqualTo(-1);
        assertThat(of("Content-Length", "4 2").getContentLength()).isEqualTo(-1);
        assertThat(of("Content-Length", "").getContentLength()).isEqualTo(-1);
        assertThat(of("Content-Length", "9".repeat(19)).getContentLength()).isEqualTo(-1);
        assertThat(new MessageHeaders().getContentLength()).isEqualTo(-1);
    }

    @Test
    void setContentLengthRemovesTransferEncoding() {
        MessageHeaders headers = of("Transfer-Encoding", "chunked");
        headers.setContentLength(10);
        assertThat(headers.getEncoding()).isEqualTo(Encoding.CONTENT_LENGTH);
        assertThat(headers.contains("Transfer-Encoding")).isFalse();
        assertThatThrownBy(() -> headers.setContentLength(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodingFollowsTheLastTransferCoding() {
        assertThat(of("Transfer-Encoding", "gzip, chunked").getEncoding()).isEqualTo(Encoding.CHUNKED);
        assertThat(of("Transfer-Encoding", "Chunked").getEncoding()).isEqualTo(Encoding.CHUNKED);
        assertThat(of("Transfer-Encoding", "chunked, gzip").getEncoding()).isEqualTo(Encoding.UNRECOGNIZED);
        assertThat(of("Transfer-Encoding", "chunked", "Content-Length", "5").getEncoding()).isEqualTo(Encoding.CHUNKED);
        assertThat(new MessageHeaders().getEncoding()).isEqualTo(Encoding.NONE);
    }

    @Test
    void setEncodingWritesOrRemovesTheFramingHeaders() {
        MessageHeaders headers = of("Content-Length", "5");
        headers.setEncoding(Encoding.CHUNKED);
        assertThat(headers.getOne("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(headers.contains("Content-Length")).isFalse();
        headers.setEncoding(Encoding.EOF);
        assertThat(headers.getEncoding()).isEqualTo(Encoding.EOF);
        assertThat(headers.isEmpty()).isTrue();
        headers.setEncoding(Encoding.CONTENT_LENGTH);
        assertThat(headers.getEncoding()).isEqualTo(Encoding.CONTENT_LENGTH);
        assertThatThrownBy(() -> headers.setEncoding(Encoding.UNRECOGNIZED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.setEncoding(Encoding.BYTE_RANGES)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expectationsAreParsedAndSet() {
        assertThat(of("Expect", "100-Continue").getExpectations()).containsExactly(Expectation.CONTINUE);
        assertThat(of("Expect", "something").getExpectations()).containsExactly(Expectation.UNRECOGNIZED);
        assertThat(new MessageHeaders().getExpectations()).isEmpty();
        MessageHeaders headers = new MessageHeaders();
        headers.setExpectations(EnumSet.of(Expectation.CONTINUE));
        assertThat(headers.getOne("Expect")).isEqualTo("100-continue");
        headers.setExpectations(Set.of());
        assertThat(headers.contains("Expect")).isFalse();
        assertThatThrownBy(() -> headers.setExpectations(Set.of(Expectation.UNRECOGNIZED))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentTypeIsSplitIntoTypeAndLowerCasedParameters() {
        MessageHeaders headers = of("Content-Type", "text/html; Charset=\"utf-8\"; q");
        assertThat(headers.getContentType()).isEqualTo("text/html");
        assertThat(headers.getContentTypeParameters()).containsExactly(entry("charset", "utf-8"), entry("q", ""));
        assertThat(new MessageHeaders().getContentType()).isNull();
        assertThat(new MessageHeaders().getContentTypeParameters()).isEmpty();
    }

    @Test
    void setContentTypeQuotesParametersThatAreNotTokens() {
        MessageHeaders headers = new MessageHeaders();
        headers.setContentType("multipart/form-data", Map.of("boundary", "a b\"c"));
        assertThat(headers.getOne("Content-Type")).isEqualTo("multipart/form-data; boundary=\"a b\\\"c\"");
        assertThat(headers.getContentTypeParameters()).containsEntry("boundary", "a b\"c");
    }

    @Test
    void contentDispositionKeepsSemicolonsInsideQuotes() {
        HeaderValue value = of("Content-Disposition", "form-data; name=\"a;b\"; filename=\"x\\\"y.txt\"").getContentDisposition();
        assertThat(value.value()).isEqualTo("form-data");
        assertThat(value.parameter("NAME")).isEqualTo("a;b");
        assertThat(value.parameter("filename")).isEqualTo("x\"y.txt");
    }

    @Test
    void repeatedParameterKeepsItsFirstValue() {
        assertThat(HeaderValue.parse("x; a=1; a=2").parameter("a")).isEqualTo("1");
    }

    @Test
    void setContentDispositionRoundTrips() {
        MessageHeaders headers = new MessageHeaders();
        headers.setContentDisposition("attachment", Map.of("filename", "report 2024.pdf"));
        assertThat(headers.getOne("Content-Disposition")).isEqualTo("attachment; filename=\"report 2024.pdf\"");
        assertThat(headers.getContentDisposition().parameter("filename")).isEqualTo("report 2024.pdf");
    }

    @Test
    void headerValueParseOfNullIsNull() {
        assertThat(HeaderValue.parse(null)).isNull();
    }
}
