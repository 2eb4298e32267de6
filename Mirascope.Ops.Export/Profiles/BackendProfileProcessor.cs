using System;
using System.Diagnostics;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Sessions;
using OpenTelemetry;

namespace Mirascope.Ops.Profiles
{
    /// <summary>
    /// Adds the keys the chosen backends read, beside Mirascope's own: the session and user at span start (for every
    /// span of the provider, an LLM library's own included: the ambient scope is the starting flow's), and at span end
    /// the input, output, type, tags and metadata, mapped from the values already recorded on the span.
    /// </summary>
    /// <remarks>
    /// Why a processor and not the recorders: the mapping reads the recorded JSON once per finished span, off the
    /// traced call's own work, and only in a provider that asked for a profile; without a profile this processor is
    /// not added at all, so the woven code and the recorders do exactly what they did before (no flag read, no
    /// branch, no second recording). It also reaches spans we do not create (the OpenAI SDK's, ...), which a change
    /// in the recorders could not. The price: it must come before the exporters' processors, because the SDK calls a
    /// provider's processors in the order they were added and an exporter hands the span on (a simple processor
    /// exports it, a batching one queues it) in its own OnEnd. <c>OpsExport.Configure</c> adds it first; an app that
    /// owns its provider calls <c>AddMirascopeOps</c> before its exporters, the rule OpenTelemetry .NET gives for any
    /// enriching processor. (The SDK's processor weight, which would lift the rule, is internal in 1.15.)
    /// </remarks>
    internal sealed class BackendProfileProcessor : BaseProcessor<Activity>
    {
        private readonly Func<Activity, bool>? _filter;

        public BackendProfileProcessor(BackendProfiles profiles, Func<Activity, bool>? filter = null)
        {
            Profiles = profiles;
            _filter = filter;
        }

        public BackendProfiles Profiles { get; }

        public override void OnStart(Activity activity)
        {
            try
            {
                if (!activity.IsAllDataRequested || (_filter is not null && !_filter(activity)))
                {
                    return;
                }

                var identity = AmbientSession.Identity;
                if (identity is null)
                {
                    return;
                }

                if (identity.Session is { } session)
                {
                    activity.SetTag(ProfileKeys.SessionId, session.Id);
                }

                if (identity.UserId is { } user)
                {
                    activity.SetTag(ProfileKeys.UserId, user);
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("add backend profile identity", ex);
            }
        }

        public override void OnEnd(Activity activity)
        {
            try
            {
                if (!activity.IsAllDataRequested || (_filter is not null && !_filter(activity)))
                {
                    return;
                }

                var facts = SpanFacts.Read(activity);
                if ((Profiles & BackendProfiles.Langfuse) != 0)
                {
                    LangfuseProfile.OnEnd(activity, facts);
                }

                if ((Profiles & BackendProfiles.OpenInference) != 0)
                {
                    OpenInferenceProfile.OnEnd(activity, facts);
                }

                if ((Profiles & BackendProfiles.GenAI) != 0)
                {
                    GenAiProfile.OnEnd(activity, facts);
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("add backend profile keys", ex);
            }
        }
    }
}
