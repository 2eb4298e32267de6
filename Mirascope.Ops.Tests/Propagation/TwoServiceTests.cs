using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Propagation
{
    /// <summary>
    /// End to end over real HTTP: a traced client method calls a Kestrel service with injected headers; the service's
    /// traced handler continues the client's trace and session.
    /// </summary>
    public class TwoServiceTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Server_handler_span_has_the_client_trace_the_client_span_as_parent_and_the_same_session(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            var nesting = woven.New("Nesting");
            string? sessionBeforeScope = "not run";
            bool? spanBeforeScope = null;
            await using var server = await LoopbackServer.StartAsync(app => app.Run(async context =>
            {
                sessionBeforeScope = MirascopeOps.CurrentSession?.Id;
                spanBeforeScope = MirascopeOps.CurrentSpan.IsNoop;
                int product;
                using (MirascopeOps.PropagatedContext(extractFrom: context.Request.Headers))
                {
                    // The service's traced handler.
                    product = (int)woven.Call(calc, "Multiply", 6, 7)!;
                }

                await context.Response.WriteAsync(product.ToString());
            }));
            // .NET's HttpClient propagates traceparent itself unless told not to: only MirascopeOps.InjectContext writes headers here.
            using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = server.BaseAddress };
            using var capture = new SpanCapture();
            var gate = new TaskCompletionSource<bool>();
            gate.SetResult(true);
            string? response = null;

            using (MirascopeOps.Session(id: "req-42", attributes: new { team = "core" }))
            {
                // The traced client method: its callback runs inside its span and makes the HTTP call from there.
                var call = (Task<string?>)woven.Call(nesting, "SlowAsync", gate, new Action<Activity?>(_ =>
                {
                    if (response is not null)
                    {
                        return;
                    }

                    using var request = new HttpRequestMessage(HttpMethod.Get, "/multiply");
                    MirascopeOps.InjectContext(request.Headers);
                    using var reply = client.Send(request);
                    reply.EnsureSuccessStatusCode();
                    response = new StreamReader(reply.Content.ReadAsStream()).ReadToEnd();
                }))!;
                await call;
            }

            Assert.Equal("42", response);
            Assert.Null(sessionBeforeScope);
            Assert.True(spanBeforeScope);
            var clientSpan = capture.Single("Nesting.SlowAsync");
            var handlerSpan = capture.Single("Calc.Multiply");
            Assert.Equal(clientSpan.TraceId, handlerSpan.TraceId);
            Assert.Equal(clientSpan.SpanId, handlerSpan.ParentSpanId);
            Assert.True(handlerSpan.HasRemoteParent);
            Assert.Equal("req-42", clientSpan.Tag("mirascope.ops.session.id"));
            Assert.Equal("req-42", handlerSpan.Tag("mirascope.ops.session.id"));
            Assert.Equal(42, handlerSpan.Tag("mirascope.trace.output"));
        }

        [Fact]
        public async Task Trace_and_session_continue_through_a_service_that_calls_another()
        {
            await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
            {
                using (MirascopeOps.PropagatedContext(extractFrom: context.Request.Headers))
                using (MirascopeOps.Span("backend"))
                {
                    await context.Response.WriteAsync("from backend");
                }
            }));
            using var toBackend = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = backend.BaseAddress };
            await using var gateway = await LoopbackServer.StartAsync(app => app.Run(async context =>
            {
                using (MirascopeOps.PropagatedContext(extractFrom: context.Request.Headers))
                using (MirascopeOps.Span("gateway"))
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/data");
                    MirascopeOps.InjectContext(request.Headers);
                    using var response = await toBackend.SendAsync(request);
                    await context.Response.WriteAsync(await response.Content.ReadAsStringAsync());
                }
            }));
            using var toGateway = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = gateway.BaseAddress };
            using var capture = new SpanCapture();

            string body;
            using (MirascopeOps.Session(id: "chain-1"))
            using (MirascopeOps.Span("client"))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                MirascopeOps.InjectContext(request.Headers);
                using var response = await toGateway.SendAsync(request);
                body = await response.Content.ReadAsStringAsync();
            }

            Assert.Equal("from backend", body);
            var client = capture.Single("client");
            var gatewaySpan = capture.Single("gateway");
            var backendSpan = capture.Single("backend");
            Assert.Equal(client.SpanId, gatewaySpan.ParentSpanId);
            Assert.Equal(gatewaySpan.SpanId, backendSpan.ParentSpanId);
            Assert.Equal(client.TraceId, backendSpan.TraceId);
            Assert.Equal("chain-1", gatewaySpan.Tag("mirascope.ops.session.id"));
            Assert.Equal("chain-1", backendSpan.Tag("mirascope.ops.session.id"));
        }
    }
}
