using System;

namespace Mirascope.Ops.Viewer.Accounts
{
    /// <summary>
    /// A person's role in one project, the Cloud's four (<c>ADMIN</c>, <c>DEVELOPER</c>, <c>VIEWER</c>, <c>ANNOTATOR</c>).
    /// Each role may do what the roles below it may: VIEWER reads; ANNOTATOR reads and annotates; DEVELOPER also sends
    /// spans, registers functions and uses keys (everything but members); ADMIN also manages keys and members and deletes.
    /// </summary>
    internal enum ProjectRole
    {
        Viewer = 1,
        Annotator = 2,
        Developer = 3,
        Admin = 4,
    }

    /// <summary>The roles' names as the Cloud and the admin API spell them.</summary>
    internal static class ProjectRoles
    {
        public static string Name(ProjectRole role) => role switch
        {
            ProjectRole.Viewer => "VIEWER",
            ProjectRole.Annotator => "ANNOTATOR",
            ProjectRole.Developer => "DEVELOPER",
            ProjectRole.Admin => "ADMIN",
            _ => throw new ArgumentOutOfRangeException(nameof(role)),
        };

        /// <summary>Reads a role's name (any case); false for anything else.</summary>
        public static bool TryParse(string? text, out ProjectRole role)
        {
            switch (text?.Trim().ToUpperInvariant())
            {
                case "VIEWER": role = ProjectRole.Viewer; return true;
                case "ANNOTATOR": role = ProjectRole.Annotator; return true;
                case "DEVELOPER": role = ProjectRole.Developer; return true;
                case "ADMIN": role = ProjectRole.Admin; return true;
                default: role = default; return false;
            }
        }
    }
}
