using System;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Accounts;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// Signing in to the page in accounts mode: <c>GET /login</c> shows an email and password form, <c>POST /login</c>
    /// checks them (<see cref="AccountStore.VerifyPassword"/>: one PBKDF2 derivation whether or not the email exists) and
    /// sets <see cref="AccountSession"/>, <c>POST /logout</c> ends the session in the store (on every viewer). The routes are
    /// <see cref="SignInEndpoints"/>'; this is what they do when accounts are on.
    /// </summary>
    internal static class AccountSignIn
    {
        public const string WrongCredentials = "That email and password do not match an account.";

        public static Task WriteFormAsync(HttpContext context, int status, string? problem)
        {
            return SignInPage.WriteAsync(context, status,
                @"<p>Sign in with your account on this viewer.</p>",
                @"<label for=""email"">Email</label>
<input id=""email"" name=""email"" type=""email"" autocomplete=""username"" required autofocus>
<label for=""password"">Password</label>
<input id=""password"" name=""password"" type=""password"" autocomplete=""current-password"" required>",
                problem);
        }

        /// <summary>Checks the form's email and password and answers; true when they matched (a session was issued).</summary>
        public static async Task<bool> SignInAsync(HttpContext context, IFormCollection form)
        {
            var services = context.RequestServices;
            var accounts = services.GetRequiredService<AccountsMode>().Store;
            var email = form["email"].ToString();
            var password = form["password"].ToString();
            var user = email.Length is > 0 and <= 254 && password.Length is > 0 and <= 1024 ? accounts.VerifyPassword(email, password) : null;
            if (user is null)
            {
                await WriteFormAsync(context, StatusCodes.Status401Unauthorized, WrongCredentials).ConfigureAwait(false);
                return false;
            }

            var token = accounts.CreateSession(user.Id, DateTimeOffset.UtcNow);
            var secure = context.Request.IsHttps || services.GetRequiredService<ViewerOptions>().PublicOrigin?.Scheme == Uri.UriSchemeHttps;
            AccountSession.Issue(context.Response, token, secure);
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/";
            return true;
        }

        public static void SignOut(HttpContext context)
        {
            if (AccountSession.Presented(context.Request) is { } token)
            {
                context.RequestServices.GetRequiredService<AccountsMode>().Store.EndSession(token);
            }

            AccountSession.End(context.Response);
        }
    }
}
