using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Mirascope.Ops.Export.Otlp
{
    /// <summary>
    /// The message handler under the official OTLP exporter's <c>HttpClient</c> (through
    /// <c>OtlpExporterOptions.HttpClientFactory</c>, for http/protobuf and gRPC alike): counts the requests, keeps what
    /// the last one got back (<see cref="OtlpAttempt"/>), and cancels the request in flight when shutdown runs out of
    /// time — the SDK's exporter cannot be cancelled otherwise. Used by one export thread at a time.
    /// </summary>
    internal sealed class OtlpRequestObserver : DelegatingHandler
    {
        private const int MaxBodyBytes = 64 * 1024;

        private readonly ExportStatistics _statistics;
        private CancellationToken _abort;
        private HttpResponseMessage? _response;
        private string? _body;
        private Exception? _error;
        private bool _timedOut;
        private int _requests;

        public OtlpRequestObserver(ExportStatistics statistics, HttpMessageHandler inner)
            : base(inner)
        {
            _statistics = statistics;
        }

        /// <summary>Starts watching one export call; <paramref name="abort"/> cancels its request.</summary>
        public void Begin(CancellationToken abort)
        {
            _abort = abort;
            _response = null;
            _body = null;
            _error = null;
            _timedOut = false;
            Volatile.Write(ref _requests, 0);
        }

        /// <summary>What the export call's last request got; <see cref="OtlpAttempt.NotSent"/> when it made none.</summary>
        public OtlpAttempt End()
        {
            if (Volatile.Read(ref _requests) == 0)
            {
                return OtlpAttempt.NotSent;
            }

            return new OtlpAttempt(_response, _body, _error, _timedOut);
        }

#if NET8_0_OR_GREATER
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var linked = StartRequest(cancellationToken);
            try
            {
                return Keep(base.Send(request, linked.Token));
            }
            catch (Exception exception)
            {
                Fail(exception, cancellationToken);
                throw;
            }
        }
#endif

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var linked = StartRequest(cancellationToken);
            try
            {
                return Keep(await base.SendAsync(request, linked.Token).ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                Fail(exception, cancellationToken);
                throw;
            }
        }

        private CancellationTokenSource StartRequest(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            _statistics.AddRequest();
            _response = null;
            _body = null;
            _error = null;
            _timedOut = false;
            return CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort);
        }

        private HttpResponseMessage Keep(HttpResponseMessage response)
        {
            // Read after the exporter is done with it: by then a gRPC answer's trailers are there too.
            _response = response;
            if (!response.IsSuccessStatusCode)
            {
                _body = Excerpt(response);
            }

            return response;
        }

        /// <summary>The start of an error answer's body, read into a buffer the exporter can still read after us.</summary>
        private static string? Excerpt(HttpResponseMessage response)
        {
            try
            {
                response.Content.LoadIntoBufferAsync(MaxBodyBytes).GetAwaiter().GetResult();
                var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Trim();
                text = text.Replace('\r', ' ').Replace('\n', ' ');
                return text.Length <= 200 ? text : text.Substring(0, 200) + "…";
            }
            catch (Exception)
            {
                return null;   // too long or unreadable: the status says enough
            }
        }

        private void Fail(Exception exception, CancellationToken cancellationToken)
        {
            _error = exception;
            // The exporter's HttpClient cancels its token when its timeout passes; our abort is shutdown, not a timeout.
            _timedOut = exception is OperationCanceledException && cancellationToken.IsCancellationRequested && !_abort.IsCancellationRequested;
        }
    }
}
