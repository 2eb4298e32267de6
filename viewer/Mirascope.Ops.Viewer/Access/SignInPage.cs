using System.Net;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// The sign-in page's frame, shared by both sign-in forms (the viewer's key, <see cref="SignInEndpoints"/>; an account's
    /// email and password, <see cref="AccountSignIn"/>): they differ only in the sentence that explains the form and in its
    /// fields, which are our own constant HTML. The one piece of request-derived text, the problem, is encoded here.
    /// </summary>
    internal static class SignInPage
    {
        public static async Task WriteAsync(HttpContext context, int status, string introHtml, string fieldsHtml, string? problem)
        {
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            var html = new StringBuilder();
            html.Append(@"<!doctype html>
<html lang=""en"">
<head><meta charset=""utf-8""><meta name=""viewport"" content=""width=device-width, initial-scale=1""><title>Sign in: Mirascope.Ops viewer</title><link rel=""icon"" href=""/favicon.svg"" type=""image/svg+xml""></head>
<body>
<main>
<h1>Mirascope.Ops viewer</h1>
").Append(introHtml).Append('\n');
            if (problem is not null)
            {
                html.Append("<p role=\"alert\" id=\"problem\">").Append(WebUtility.HtmlEncode(problem)).Append("</p>\n");
            }

            html.Append(@"<form method=""post"" action=""/login"">
").Append(fieldsHtml).Append(@"
<button type=""submit"">Sign in</button>
</form>
</main>
</body>
</html>
");
            await response.WriteAsync(html.ToString()).ConfigureAwait(false);
        }
    }
}
