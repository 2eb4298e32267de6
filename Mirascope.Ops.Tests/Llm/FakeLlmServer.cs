using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mirascope.Ops.Tests.Infrastructure;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// A Kestrel server on 127.0.0.1 that speaks enough of the OpenAI Chat Completions API (<c>POST /v1/chat/completions</c>)
    /// and the Anthropic Messages API (<c>POST /v1/messages</c>) for the real SDKs: a completion, a streamed (SSE)
    /// completion, an error, and a tool call followed by the answer once the tool's result comes back.
    /// The requested model selects the behaviour: one containing <c>error</c> is refused with 400, one containing
    /// <c>slow</c> streams one chunk and then waits until the client goes away. Responses name the model
    /// <c>{requested}-0001</c> so that request and response models differ.
    /// </summary>
    public sealed class FakeLlmServer : IAsyncDisposable
    {
        public const string Answer = "Try \"The Name of the Wind\" by Patrick Rothfuss.";
        public const string ToolAnswer = "It is sunny in Paris, a fine day for reading.";

        private static readonly Lazy<Task<FakeLlmServer>> SharedServer = new Lazy<Task<FakeLlmServer>>(StartAsync);

        private LoopbackServer? _server;

        private FakeLlmServer()
        {
        }

        /// <summary>One server for the whole test run (tests tell their spans apart by trace id).</summary>
        public static Task<FakeLlmServer> Shared => SharedServer.Value;

        public Uri BaseAddress => _server!.BaseAddress;

        /// <summary>The traceparent headers received, by request body model, so tests can check propagation.</summary>
        public ConcurrentQueue<(string Model, string? TraceParent, string Body)> Requests { get; } = new ConcurrentQueue<(string, string?, string)>();

        public static async Task<FakeLlmServer> StartAsync()
        {
            var server = new FakeLlmServer();
            server._server = await LoopbackServer.StartAsync(app =>
            {
                app.MapPost("/v1/chat/completions", context => server.OpenAIAsync(context));
                app.MapPost("/v1/messages", context => server.AnthropicAsync(context));
            }).ConfigureAwait(false);
            return server;
        }

        public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? default;

        private async Task<JsonNode> ReadAsync(HttpContext context)
        {
            var body = await new System.IO.StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync().ConfigureAwait(false);
            var json = JsonNode.Parse(body)!;
            Requests.Enqueue(((string?)json["model"] ?? "", context.Request.Headers["traceparent"].FirstOrDefault(), body));
            return json;
        }

        private async Task OpenAIAsync(HttpContext context)
        {
            var request = await ReadAsync(context).ConfigureAwait(false);
            var model = (string)request["model"]!;
            if (model.Contains("error", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["error"] = new JsonObject
                    {
                        ["message"] = $"The model `{model}` does not exist.",
                        ["type"] = "invalid_request_error",
                        ["param"] = null,
                        ["code"] = "model_not_found",
                    },
                }).ConfigureAwait(false);
                return;
            }

            var messages = request["messages"]!.AsArray();
            var wantsTool = request["tools"] is JsonArray { Count: > 0 } && (string?)request["tool_choice"] != "none" && (string?)messages[^1]!["role"] != "tool";
            var responseModel = model + "-0001";
            var usage = new JsonObject
            {
                ["prompt_tokens"] = 12,
                ["completion_tokens"] = 9,
                ["total_tokens"] = 21,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 4 },
                ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 2 },
            };

            if ((bool?)request["stream"] == true)
            {
                context.Response.ContentType = "text/event-stream";
                var id = "chatcmpl-stream-1";
                JsonObject Chunk(JsonObject delta, string? finish) => new JsonObject
                {
                    ["id"] = id,
                    ["object"] = "chat.completion.chunk",
                    ["created"] = 1700000000,
                    ["model"] = responseModel,
                    ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
                };

                await SseAsync(context, null, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null)).ConfigureAwait(false);
                await SseAsync(context, null, Chunk(new JsonObject { ["content"] = "Try \"The Name of the Wind\"" }, null)).ConfigureAwait(false);
                if (model.Contains("slow", StringComparison.Ordinal))
                {
                    await HangAsync(context).ConfigureAwait(false);
                    return;
                }

                await SseAsync(context, null, Chunk(new JsonObject { ["content"] = " by Patrick Rothfuss." }, null)).ConfigureAwait(false);
                await SseAsync(context, null, Chunk(new JsonObject(), "stop")).ConfigureAwait(false);
                await SseAsync(context, null, new JsonObject
                {
                    ["id"] = id,
                    ["object"] = "chat.completion.chunk",
                    ["created"] = 1700000000,
                    ["model"] = responseModel,
                    ["choices"] = new JsonArray(),
                    ["usage"] = usage,
                }).ConfigureAwait(false);
                await context.Response.WriteAsync("data: [DONE]\n\n").ConfigureAwait(false);
                return;
            }

            JsonObject message = wantsTool
                ? new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = null,
                    ["tool_calls"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "call_weather_1",
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{\"city\":\"Paris\"}" },
                    }),
                }
                : new JsonObject { ["role"] = "assistant", ["content"] = (string?)messages[^1]!["role"] == "tool" ? ToolAnswer : Answer };

            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = wantsTool ? "chatcmpl-tool-1" : "chatcmpl-1",
                ["object"] = "chat.completion",
                ["created"] = 1700000000,
                ["model"] = responseModel,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = message,
                    ["logprobs"] = null,
                    ["finish_reason"] = wantsTool ? "tool_calls" : "stop",
                }),
                ["usage"] = usage,
            }).ConfigureAwait(false);
        }

        private async Task AnthropicAsync(HttpContext context)
        {
            var request = await ReadAsync(context).ConfigureAwait(false);
            var model = (string)request["model"]!;
            if (model.Contains("error", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["type"] = "error",
                    ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = $"model: {model} is not a model" },
                }).ConfigureAwait(false);
                return;
            }

            var messages = request["messages"]!.AsArray();
            var last = messages[^1]!;
            var lastIsToolResult = last["content"] is JsonArray parts && parts.Any(p => (string?)p!["type"] == "tool_result");
            var wantsTool = request["tools"] is JsonArray { Count: > 0 } && (string?)request["tool_choice"]?["type"] != "none" && !lastIsToolResult;
            var responseModel = model + "-0001";
            JsonObject Usage(int output) => new JsonObject
            {
                ["input_tokens"] = 10,
                ["output_tokens"] = output,
                ["cache_read_input_tokens"] = 3,
                ["cache_creation_input_tokens"] = 2,
            };

            if ((bool?)request["stream"] == true)
            {
                context.Response.ContentType = "text/event-stream";
                await SseAsync(context, "message_start", new JsonObject
                {
                    ["type"] = "message_start",
                    ["message"] = new JsonObject
                    {
                        ["id"] = "msg_stream_1",
                        ["type"] = "message",
                        ["role"] = "assistant",
                        ["model"] = responseModel,
                        ["content"] = new JsonArray(),
                        ["stop_reason"] = null,
                        ["stop_sequence"] = null,
                        ["usage"] = Usage(1),
                    },
                }).ConfigureAwait(false);
                await SseAsync(context, "content_block_start", new JsonObject
                {
                    ["type"] = "content_block_start",
                    ["index"] = 0,
                    ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
                }).ConfigureAwait(false);
                await SseAsync(context, "content_block_delta", TextDelta("Try \"The Name of the Wind\"")).ConfigureAwait(false);
                if (model.Contains("slow", StringComparison.Ordinal))
                {
                    await HangAsync(context).ConfigureAwait(false);
                    return;
                }

                await SseAsync(context, "content_block_delta", TextDelta(" by Patrick Rothfuss.")).ConfigureAwait(false);
                await SseAsync(context, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }).ConfigureAwait(false);
                await SseAsync(context, "message_delta", new JsonObject
                {
                    ["type"] = "message_delta",
                    ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
                    ["usage"] = new JsonObject { ["output_tokens"] = 7 },
                }).ConfigureAwait(false);
                await SseAsync(context, "message_stop", new JsonObject { ["type"] = "message_stop" }).ConfigureAwait(false);
                return;
            }

            var content = wantsTool
                ? new JsonArray(new JsonObject
                {
                    ["type"] = "tool_use",
                    ["id"] = "toolu_weather_1",
                    ["name"] = "get_weather",
                    ["input"] = new JsonObject { ["city"] = "Paris" },
                })
                : new JsonArray(new JsonObject { ["type"] = "text", ["text"] = lastIsToolResult ? ToolAnswer : Answer });

            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = wantsTool ? "msg_tool_1" : "msg_1",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = responseModel,
                ["content"] = content,
                ["stop_reason"] = wantsTool ? "tool_use" : "end_turn",
                ["stop_sequence"] = null,
                ["usage"] = Usage(7),
            }).ConfigureAwait(false);

            static JsonObject TextDelta(string text) => new JsonObject
            {
                ["type"] = "content_block_delta",
                ["index"] = 0,
                ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = text },
            };
        }

        private static async Task SseAsync(HttpContext context, string? eventName, JsonNode data)
        {
            var text = (eventName is null ? "" : "event: " + eventName + "\n") + "data: " + data.ToJsonString() + "\n\n";
            await context.Response.WriteAsync(text).ConfigureAwait(false);
            await context.Response.Body.FlushAsync().ConfigureAwait(false);
        }

        private static async Task HangAsync(HttpContext context)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client went away: that is the point of a slow stream.
            }
        }
    }
}
