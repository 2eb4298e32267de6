using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmQuickStart
{
    /// <summary>
    /// A stand-in for the OpenAI Chat Completions API on 127.0.0.1, so the sample runs without a key or a network:
    /// it answers every request with the same recommendation, as one completion or as a server-sent event stream.
    /// </summary>
    internal sealed class FakeOpenAIServer : IAsyncDisposable
    {
        private const string Answer = "Try \"The Name of the Wind\" by Patrick Rothfuss: a lyrical fantasy about a gifted young arcanist.";

        private readonly WebApplication _app;

        private FakeOpenAIServer(WebApplication app, Uri endpoint)
        {
            _app = app;
            Endpoint = endpoint;
        }

        /// <summary>The base address to give the OpenAI client (<c>OpenAIClientOptions.Endpoint</c>).</summary>
        public Uri Endpoint { get; }

        public static async Task<FakeOpenAIServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapPost("/v1/chat/completions", CompleteAsync);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new FakeOpenAIServer(app, new Uri(new Uri(address), "/v1"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private static async Task CompleteAsync(HttpContext context)
        {
            var request = (await JsonNode.ParseAsync(context.Request.Body))!;
            var model = (string?)request["model"] ?? "gpt-4o-mini";
            var usage = new JsonObject { ["prompt_tokens"] = 14, ["completion_tokens"] = 21, ["total_tokens"] = 35 };
            if ((bool?)request["stream"] != true)
            {
                await context.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["id"] = "chatcmpl-offline-1",
                    ["object"] = "chat.completion",
                    ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["model"] = model,
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Answer },
                        ["finish_reason"] = "stop",
                    }),
                    ["usage"] = usage,
                });
                return;
            }

            context.Response.ContentType = "text/event-stream";
            JsonObject Chunk(JsonObject delta, string? finish, JsonObject? chunkUsage = null) => new JsonObject
            {
                ["id"] = "chatcmpl-offline-2",
                ["object"] = "chat.completion.chunk",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = model,
                ["choices"] = finish == "usage" ? new JsonArray() : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
                ["usage"] = chunkUsage,
            };

            await SendAsync(context, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
            foreach (var word in Answer.Split(' '))
            {
                await SendAsync(context, Chunk(new JsonObject { ["content"] = word + " " }, null));
            }

            await SendAsync(context, Chunk(new JsonObject(), "stop"));
            await SendAsync(context, Chunk(new JsonObject(), "usage", usage));
            await context.Response.WriteAsync("data: [DONE]\n\n");
        }

        private static async Task SendAsync(HttpContext context, JsonNode chunk)
        {
            await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
            await context.Response.Body.FlushAsync();
        }
    }
}
