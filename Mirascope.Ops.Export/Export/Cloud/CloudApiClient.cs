using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// JSON requests to a Mirascope Cloud receiver's API besides ingest (<c>/functions</c>, <c>/annotations</c>):
    /// <c>Authorization: Bearer &lt;key&gt;</c>, a timeout per request, redirects not followed (a redirect must not
    /// carry the key elsewhere). Synchronous: it runs on the request queue's own thread, never on the app's.
    /// </summary>
    internal sealed class CloudApiClient : IDisposable
    {
        private const int MaxReasonChars = 200;

        private readonly HttpClient _http;
        private readonly AuthenticationHeaderValue _authorization;
        private readonly TimeSpan _timeout;

        public CloudApiClient(Uri baseUrl, string apiKey, TimeSpan timeout)
        {
            BaseUrl = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
            _authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            _timeout = timeout;
#if NET8_0_OR_GREATER
            var handler = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
#else
            var handler = new HttpClientHandler { AllowAutoRedirect = false };
#endif
            _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        }

        /// <summary>The base URL without a trailing slash (no secret in it).</summary>
        public string BaseUrl { get; }

        public CloudAnswer Get(string path, CancellationToken cancellation) => Send(HttpMethod.Get, path, null, cancellation);

        public CloudAnswer Post(string path, byte[] json, CancellationToken cancellation) => Send(HttpMethod.Post, path, json, cancellation);

        private CloudAnswer Send(HttpMethod method, string path, byte[]? json, CancellationToken cancellation)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(_timeout);
            try
            {
                using var request = new HttpRequestMessage(method, BaseUrl + "/" + path);
                request.Headers.Authorization = _authorization;
                if (json is not null)
                {
                    request.Content = new ByteArrayContent(json);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }

                using var response = _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).GetAwaiter().GetResult();
                var status = (int)response.StatusCode;
                if (status >= 200 && status < 300)
                {
                    return new CloudAnswer(status, "ok");
                }

                var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Trim();
                var reason = $"{method} {path}: HTTP {status} {response.ReasonPhrase}".TrimEnd()
                    + (body.Length == 0 ? "" : ": " + (body.Length <= MaxReasonChars ? body : body.Substring(0, MaxReasonChars) + "…"));
                return new CloudAnswer(status, reason);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                return new CloudAnswer(0, $"{method} {path}: no answer within {(long)_timeout.TotalMilliseconds} ms");
            }
            catch (OperationCanceledException)
            {
                return new CloudAnswer(0, $"{method} {path}: cancelled at shutdown");
            }
            catch (Exception exception) when (exception is HttpRequestException || exception is System.IO.IOException)
            {
                var inner = exception;
                while (inner.InnerException is not null) inner = inner.InnerException;
                return new CloudAnswer(0, $"{method} {path}: connection failed: {inner.Message}");
            }
        }

        public void Dispose() => _http.Dispose();
    }
}
