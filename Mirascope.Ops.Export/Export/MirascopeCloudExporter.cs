using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using Mirascope.Ops.Configuration;
using OpenTelemetry.Resources;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// Sends batches to Mirascope Cloud's ingest API: <c>POST {base}/traces</c> with an OTLP/JSON body and
    /// <c>Authorization: Bearer &lt;key&gt;</c>. Retries 429/502/503/504 and connection failures with backoff
    /// (honouring <c>Retry-After</c>), never other statuses; splits a batch answered 413 in halves, down to one span;
    /// reads <c>partialSuccess</c>. Counts every span of a batch
    /// as exported or dropped with its <see cref="DropReason"/>. See docs/configuration.md.
    /// </summary>
    internal sealed class MirascopeCloudExporter : SpanBatchExporter
    {
        private const int MaxResponseBytes = 64 * 1024;
        private const string ShutdownOutOfTime = "shutdown ran out of time";

        private readonly HttpClient _http;
        private readonly Uri _tracesUrl;
        private readonly AuthenticationHeaderValue _authorization;
        private readonly TimeSpan _requestTimeout;
        private readonly RetrySchedule _retry;
        private readonly MemoryStream _body = new MemoryStream();
        private Resource? _resource;
        private bool _answeredBefore;

        public MirascopeCloudExporter(Uri baseUrl, string apiKey, TimeSpan requestTimeout, RetrySettings retry, ExportDiagnostics diagnostics)
            : base(diagnostics)
        {
            _tracesUrl = TracesUrl(baseUrl);
            _authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            _requestTimeout = requestTimeout;
            _retry = new RetrySchedule(retry);
            // Redirects are not followed: a redirect must not carry the key somewhere else, and a 3xx is a misconfiguration.
            _http = new HttpClient(CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public Uri Endpoint => _tracesUrl;

        /// <summary><c>{base}/traces</c>, whether or not the base ends with a slash.</summary>
        public static Uri TracesUrl(Uri baseUrl)
        {
            var text = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new Uri(text + "/traces");
        }

        private static HttpMessageHandler CreateHandler()
        {
#if NET8_0_OR_GREATER
            // A long-lived client must still notice DNS changes of the ingest host.
            return new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
#else
            return new HttpClientHandler { AllowAutoRedirect = false };
#endif
        }

        public override BatchOutcome Export(IReadOnlyList<Activity> batch, Resource resource, CancellationToken cancellation)
        {
            // The body is sent (and re-sent on retries) straight from the reused stream's buffer: copying a batch of
            // ~0.5 MB out of it would be a large-object-heap allocation per batch.
            _resource = resource;
            try
            {
                try
                {
                    _body.SetLength(0);
                    OtlpJsonWriter.Write(_body, batch, resource);
                }
                catch (Exception exception)
                {
                    Statistics.AddDropped(DropReason.ExportError, batch.Count);
                    Diagnostics.ExportFailed(batch.Count, "the spans could not be serialized: " + exception.GetType().Name + ": " + exception.Message);
                    return BatchOutcome.Dropped;
                }

                return Deliver(batch, cancellation);
            }
            finally
            {
                _body.SetLength(0);
                if (_body.Capacity > 4 * 1024 * 1024)
                {
                    _body.Capacity = 0;   // do not keep a large buffer alive between batches
                }
            }
        }

        private BatchOutcome Deliver(IReadOnlyList<Activity> batch, CancellationToken cancellation)
        {
            for (var attempt = 1; ; attempt++)
            {
                var result = Send(_body.GetBuffer(), (int)_body.Length, cancellation);
                if (result.Delivered)
                {
                    var rejected = Math.Min(Math.Max(result.RejectedSpans, 0), batch.Count);
                    Statistics.AddExported(batch.Count - rejected);
                    if (rejected > 0 || result.RejectionMessage is not null)
                    {
                        Statistics.AddDropped(DropReason.Rejected, rejected);
                        Diagnostics.Rejected(rejected, result.RejectionMessage);
                    }

                    return BatchOutcome.Delivered;
                }

                if (cancellation.IsCancellationRequested)
                {
                    return Drop(batch.Count, DropReason.AtShutdown, result.Reason == ShutdownOutOfTime ? ShutdownOutOfTime : result.Reason + " (then " + ShutdownOutOfTime + ")");
                }

                if (!result.Retryable)
                {
                    if (result.Status == 413)
                    {
                        return SendInHalves(batch, result.Reason, half => Export(half, _resource ?? Resource.Empty, cancellation));
                    }

                    if (result.Status == 401 || result.Status == 403 || result.Status == 404)
                    {
                        Diagnostics.ConfigurationError(result.Status == 404 ? "endpoint" : "credentials", "export to " + _tracesUrl + " is refused: " + result.Reason);
                    }

                    return Drop(batch.Count, DropReason.Rejected, result.Reason + " (not retried)");
                }

                var delay = _retry.DelayBefore(attempt + 1, result.RetryAfter);
                if (delay is null)
                {
                    return Drop(batch.Count, DropReason.RetriesExhausted, result.Reason + $" (gave up after {attempt} attempt{(attempt == 1 ? "" : "s")})");
                }

                Statistics.AddRetry();
                Diagnostics.Retrying(attempt, delay.Value, result.Reason);
                if (cancellation.WaitHandle.WaitOne(delay.Value))
                {
                    return Drop(batch.Count, DropReason.AtShutdown, result.Reason + " (" + ShutdownOutOfTime + " before the retry)");
                }
            }
        }

        public override void Dispose()
        {
            _http.Dispose();
            _body.Dispose();
        }

        private SendResult Send(byte[] body, int length, CancellationToken cancellation)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(_requestTimeout);
            Statistics.AddRequest();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _tracesUrl);
                request.Headers.Authorization = _authorization;
                request.Content = new ByteArrayContent(body, 0, length);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).GetAwaiter().GetResult();
                var status = (int)response.StatusCode;
                _answeredBefore = true;
                Diagnostics.Answered();
                if (status >= 200 && status < 300)
                {
                    var text = ReadBounded(response, timeout.Token);
                    var partial = PartialSuccess.Parse(text);
                    return SendResult.Success(partial.RejectedSpans, partial.ErrorMessage);
                }

                var reason = $"HTTP {status} {response.ReasonPhrase}".TrimEnd() + Excerpt(ReadBounded(response, timeout.Token));
                if (status == 401 || status == 403)
                {
                    // The commonest cause by far; the key itself is never part of the text.
                    reason += " — the receiver refused the API key (check MIRASCOPE_API_KEY or OpsOptions.ApiKey)";
                }
                else if (status == 404)
                {
                    reason += " — no Mirascope Cloud ingest at this URL (check MIRASCOPE_BASE_URL or OpsOptions.BaseUrl: the base, e.g. http://127.0.0.1:6177/api/v2)";
                }
                else if (status == 413)
                {
                    reason += " — the request was too large for the receiver";
                }

                return IsRetryable(status)
                    ? SendResult.Retry(reason, RetryAfter.Read(response))
                    : SendResult.Fail(reason, status);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                // Told apart: a receiver that answered before is slow; one that never did is down or a black hole.
                return SendResult.Retry(
                    _answeredBefore
                        ? $"no answer within {(long)_requestTimeout.TotalMilliseconds} ms (ExportTimeout); the receiver answered earlier requests, so it is slow or overloaded, not gone"
                        : $"no answer within {(long)_requestTimeout.TotalMilliseconds} ms (ExportTimeout), not a byte: the receiver has never answered (is something else listening on {_tracesUrl.Authority}?)",
                    null);
            }
            catch (OperationCanceledException)
            {
                return SendResult.Fail(ShutdownOutOfTime);
            }
            catch (HttpRequestException exception)
            {
                return SendResult.Retry("connection failed: " + Innermost(exception).Message, null);
            }
            catch (IOException exception)
            {
                return SendResult.Retry("connection failed: " + exception.Message, null);
            }
        }

        private static bool IsRetryable(int status) => status == 429 || status == 502 || status == 503 || status == 504;

        private static string ReadBounded(HttpResponseMessage response, CancellationToken cancellation)
        {
            // Pooled: a fresh 64 KB array for every batch's (usually tiny) answer would be most of what a batch allocates.
            var buffer = ArrayPool<byte>.Shared.Rent(MaxResponseBytes);
            try
            {
                using var stream = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
                var total = 0;
                int read;
                while (total < MaxResponseBytes && (read = stream.ReadAsync(buffer, total, MaxResponseBytes - total, cancellation).GetAwaiter().GetResult()) > 0)
                {
                    total += read;
                }

                return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
            }
            catch (Exception exception) when (exception is IOException || exception is HttpRequestException)
            {
                return string.Empty;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private static string Excerpt(string body)
        {
            body = body.Trim();
            if (body.Length == 0)
            {
                return string.Empty;
            }

            return ": " + (body.Length <= 200 ? body : body.Substring(0, 200) + "…");
        }

        private static Exception Innermost(Exception exception)
        {
            while (exception.InnerException is not null)
            {
                exception = exception.InnerException;
            }

            return exception;
        }

        private readonly struct SendResult
        {
            private SendResult(bool delivered, bool retryable, string reason, TimeSpan? retryAfter, long rejectedSpans, string? rejectionMessage, int status = 0)
            {
                Status = status;
                Delivered = delivered;
                Retryable = retryable;
                Reason = reason;
                RetryAfter = retryAfter;
                RejectedSpans = rejectedSpans;
                RejectionMessage = rejectionMessage;
            }

            public bool Delivered { get; }

            /// <summary>The HTTP status of a refusal that is not retried; 0 otherwise.</summary>
            public int Status { get; }

            public bool Retryable { get; }

            public string Reason { get; }

            public TimeSpan? RetryAfter { get; }

            public long RejectedSpans { get; }

            public string? RejectionMessage { get; }

            public static SendResult Success(long rejected, string? message) => new SendResult(true, false, "ok", null, rejected, message);

            public static SendResult Retry(string reason, TimeSpan? retryAfter) => new SendResult(false, true, reason, retryAfter, 0, null);

            public static SendResult Fail(string reason, int status = 0) => new SendResult(false, false, reason, null, 0, null, status);
        }
    }
}
