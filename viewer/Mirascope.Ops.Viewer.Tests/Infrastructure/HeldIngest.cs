using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// An ingest request caught in the middle: the headers and the first half of the body are sent, the rest only on
    /// <see cref="Release"/>. While held, the viewer has admitted it and is reading it, as a large batch on a slow link is.
    /// </summary>
    internal sealed class HeldIngest : IDisposable
    {
        private readonly TaskCompletionSource _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstHalfSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly HttpClient _http;

        private HeldIngest(Uri url, byte[] body, string contentType)
        {
            _http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var content = new HoldingContent(body, _firstHalfSent, _release.Task);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            Response = _http.PostAsync(url, content);
        }

        /// <summary>The viewer's answer, once the rest of the body was sent.</summary>
        public Task<HttpResponseMessage> Response { get; }

        /// <summary>Completes when the headers and the first half of the body are on their way.</summary>
        public Task FirstHalfSent => _firstHalfSent.Task;

        public static HeldIngest Start(Uri url, byte[] body, string contentType = "application/json") => new HeldIngest(url, body, contentType);

        /// <summary>Sends the rest of the body.</summary>
        public void Release() => _release.TrySetResult();

        public void Dispose()
        {
            Release();
            _http.Dispose();
        }

        private sealed class HoldingContent : HttpContent
        {
            private readonly byte[] _body;
            private readonly TaskCompletionSource _firstHalfSent;
            private readonly Task _release;

            public HoldingContent(byte[] body, TaskCompletionSource firstHalfSent, Task release)
            {
                _body = body;
                _firstHalfSent = firstHalfSent;
                _release = release;
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                var half = _body.Length / 2;
                await stream.WriteAsync(_body.AsMemory(0, half));
                await stream.FlushAsync();
                _firstHalfSent.TrySetResult();
                await _release;
                await stream.WriteAsync(_body.AsMemory(half));
            }

            protected override bool TryComputeLength(out long length)
            {
                length = 0;
                return false;   // chunked: the viewer cannot know the body is incomplete until it reads it
            }
        }
    }
}
