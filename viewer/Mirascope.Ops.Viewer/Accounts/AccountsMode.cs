namespace Mirascope.Ops.Viewer.Accounts
{
    /// <summary>
    /// Whether the viewer runs for a team (people, roles, keys from the store) or for one developer (no users, loopback,
    /// the optional <c>--api-key</c>, exactly as before accounts existed). Decided when the viewer starts: accounts are on
    /// once the store holds a person (<c>mirascope-viewer admin create</c> makes the first); a viewer started before that
    /// keeps single-developer mode until it is restarted.
    /// </summary>
    internal sealed class AccountsMode
    {
        public AccountsMode(AccountStore store, bool on)
        {
            Store = store;
            On = on;
        }

        public AccountStore Store { get; }

        public bool On { get; }
    }
}
