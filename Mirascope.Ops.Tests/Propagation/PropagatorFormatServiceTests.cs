using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mirascope.Ops.Propagation;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Propagation
{
    /// <summary>One Kestrel service that continues whatever trace and session its requests carry.</summary>
    public sealed class ContinuingService : IAsyncLifetime
    {
        private static readonly HashSet<string> TracingHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "traceparent", "tracestate", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags", "uber-trace-id", "Mirascope-Session-Id",
        };

        private LoopbackServer? _service;

        /// <summary>The tracing headers each request arrived with, by its <c>x-test-request</c> header.</summary>
        public ConcurrentDictionary<string, string[]> ReceivedHeaders { get; } = new ConcurrentDictionary<string, string[]>();

        /// <summary>
        /// A client whose own trace header propagation is off (.NET's HttpClient injects <c>traceparent</c> by
        /// default): only <see cref="MirascopeOps.InjectContext(System.Net.Http.Headers.HttpHeaders)"/> writes headers.
        /// </summary>
        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _service = await LoopbackServer.StartAsync(app => app.Run(async context =>
            {
                ReceivedHeaders[context.Request.Headers["x-test-request"].ToString()] =
                    context.Request.Headers.Keys.Where(TracingHeaders.Contains).Select(k => k.ToLowerInvariant()).OrderBy(k => k, StringComparer.Ordinal).ToArray();
                using (MirascopeOps.PropagatedContext(extractFrom: context.Request.Headers))
                using (var handler = MirascopeOps.Span("handle"))
                {
                    handler.Info("handled");
                    await context.Response.WriteAsync("ok");
                }
            }));
            Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = _service.BaseAddress };
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            if (_service is not null)
            {
                await _service.DisposeAsync();
            }
        }
    }

    [Collection(PropagatorFormatCollection.Name)]
    public sealed class PropagatorFormatServiceTests : IClassFixture<ContinuingService>, IDisposable
    {
        private readonly ContinuingService _service;

        public PropagatorFormatServiceTests(ContinuingService service)
        {
            _service = service;
        }

        public static IEnumerable<object[]> Formats => new[]
        {
            new object[] { PropagatorFormat.TraceContext, new[] { "mirascope-session-id", "traceparent" } },
            new object[] { PropagatorFormat.B3, new[] { "b3", "mirascope-session-id" } },
            new object[] { PropagatorFormat.B3Multi, new[] { "mirascope-session-id", "x-b3-sampled", "x-b3-spanid", "x-b3-traceid" } },
            new object[] { PropagatorFormat.Jaeger, new[] { "mirascope-session-id", "uber-trace-id" } },
            new object[] { PropagatorFormat.Composite, new[] { "b3", "mirascope-session-id", "traceparent", "uber-trace-id", "x-b3-sampled", "x-b3-spanid", "x-b3-traceid" } },
        };

        public void Dispose() => PropagatorSettings.Reset();

        [Theory]
        [MemberData(nameof(Formats))]
        public async Task Service_continues_the_client_trace_and_session_in_each_format(PropagatorFormat format, string[] headersSent)
        {
            MirascopeOps.UsePropagator(format);
            using var capture = new SpanCapture();
            var requestId = Guid.NewGuid().ToString();

            string clientSpanId;
            using (MirascopeOps.Session(id: "session-" + format))
            using (var clientSpan = MirascopeOps.Span("call service"))
            {
                clientSpanId = clientSpan.SpanId;
                using var request = new HttpRequestMessage(HttpMethod.Get, "/work");
                request.Headers.Add("x-test-request", requestId);
                MirascopeOps.InjectContext(request.Headers);
                using var response = await _service.Client.SendAsync(request);
                Assert.Equal("ok", await response.Content.ReadAsStringAsync());
            }

            Assert.Equal(headersSent, _service.ReceivedHeaders[requestId]);
            var handler = capture.Single("handle");
            Assert.Equal(capture.Root.TraceId, handler.TraceId);
            Assert.Equal(clientSpanId, handler.ParentSpanId.ToHexString());
            Assert.Equal("session-" + format, handler.Tag("mirascope.ops.session.id"));
            Assert.Equal("handled", handler.Events.Single().Tags.Single(t => t.Key == "message").Value);
        }
    }
}
