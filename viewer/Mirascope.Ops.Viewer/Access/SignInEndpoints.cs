using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Api;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// <c>GET /login</c> (the form), <c>POST /login</c> (the key, once, for the page's session cookie, then back to the
    /// page) and <c>POST /logout</c>. Plain HTML forms: the page's script never sees the key or the cookie. Failed
    /// sign-ins are limited per account and per client address (<see cref="SignInThrottle"/>).
    /// </summary>
    internal static class SignInEndpoints
    {
        public const string Path = "/login";
        public const string SignOutPath = "/logout";

        private const int MaxFormBytes = 16 * 1024;

        /// <summary>The one "account" of single-developer mode's sign-in (the viewer's key), for <see cref="SignInThrottle"/>.</summary>
        private const string ViewerKeyAccount = "the viewer's key";

        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet(Path, FormAsync).Access(AccessRule.SignIn);
            routes.MapPost(Path, SignInAsync).Access(AccessRule.SignIn);
            routes.MapPost(SignOutPath, SignOut).Access(AccessRule.Key);
        }

        /// <summary>The sign-in form; <paramref name="problem"/> says why the last try failed.</summary>
        public static Task WriteFormAsync(HttpContext context, int status, string? problem)
        {
            return SignInPage.WriteAsync(context, status,
                @"<p>This viewer was started with a key (<code>--api-key</code> or <code>MIRASCOPE_VIEWER_API_KEY</code>). Enter it once; this browser then keeps a session cookie for the viewer.</p>",
                @"<label for=""key"">Key</label>
<input id=""key"" name=""key"" type=""password"" autocomplete=""current-password"" required autofocus>",
                problem);
        }

        private static Task FormAsync(HttpContext context)
        {
            if (context.RequestServices.GetRequiredService<Accounts.AccountsMode>().On)
            {
                return AccountSignIn.WriteFormAsync(context, StatusCodes.Status200OK, problem: null);
            }

            if (string.IsNullOrEmpty(context.RequestServices.GetRequiredService<ViewerOptions>().ApiKey))
            {
                context.Response.Redirect("/");   // no key: nothing to sign in to
                return Task.CompletedTask;
            }

            return WriteFormAsync(context, StatusCodes.Status200OK, problem: null);
        }

        private static async Task SignInAsync(HttpContext context)
        {
            var key = context.RequestServices.GetRequiredService<ViewerOptions>().ApiKey;
            var accounts = context.RequestServices.GetRequiredService<Accounts.AccountsMode>().On;
            if (string.IsNullOrEmpty(key) && !accounts)
            {
                context.Response.Redirect("/", permanent: false);
                return;
            }

            if (!context.Request.HasFormContentType || context.Request.ContentLength is null or > MaxFormBytes)
            {
                await (accounts ? AccountSignIn.WriteFormAsync : (Func<HttpContext, int, string?, Task>)WriteFormAsync)(context, StatusCodes.Status400BadRequest, "Send the form of this page (application/x-www-form-urlencoded, at most 16 KB).").ConfigureAwait(false);
                return;
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            var throttle = context.RequestServices.GetRequiredService<SignInThrottle>();
            var account = accounts ? form["email"].ToString() : ViewerKeyAccount;
            var address = context.Connection.RemoteIpAddress;
            if (throttle.WaitBefore(account, address) is { } wait)
            {
                // Not checked at all while the wait lasts, right password included: that is what limits guessing.
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await (accounts ? AccountSignIn.WriteFormAsync : (Func<HttpContext, int, string?, Task>)WriteFormAsync)(context, StatusCodes.Status429TooManyRequests,
                    $"Too many failed sign-ins; try again in {seconds} s.").ConfigureAwait(false);
                return;
            }

            if (accounts)
            {
                if (await AccountSignIn.SignInAsync(context, form).ConfigureAwait(false))
                {
                    throttle.Succeeded(account);
                }
                else
                {
                    throttle.Failed(account, address);
                }

                return;
            }

            var presented = form["key"].ToString().Trim();
            if (presented.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key!)))
            {
                throttle.Failed(account, address);
                await WriteFormAsync(context, StatusCodes.Status401Unauthorized, "That is not this viewer's key.").ConfigureAwait(false);
                return;
            }

            throttle.Succeeded(account);
            PageSession.Issue(context.Response, key!);
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/";
        }

        private static IResult SignOut(HttpContext context)
        {
            if (context.RequestServices.GetRequiredService<Accounts.AccountsMode>().On)
            {
                AccountSignIn.SignOut(context);
            }

            PageSession.End(context.Response);
            return Results.Redirect(Path);
        }
    }
}
