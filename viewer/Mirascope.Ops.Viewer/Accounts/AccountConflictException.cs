using System;

namespace Mirascope.Ops.Viewer.Accounts
{
    /// <summary>A name or email that is taken (answered 409 with the message).</summary>
    internal sealed class AccountConflictException : Exception
    {
        public AccountConflictException(string message)
            : base(message)
        {
        }
    }
}
