namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>How one request to a Cloud endpoint went: the HTTP status (0 when there was no answer) and, when it failed, why.</summary>
    internal readonly struct CloudAnswer
    {
        public CloudAnswer(int status, string reason)
        {
            Status = status;
            Reason = reason;
        }

        public int Status { get; }

        public string Reason { get; }

        public bool IsSuccess => Status >= 200 && Status < 300;

        /// <summary>No answer, 429 or a gateway/availability error: worth asking again later.</summary>
        public bool IsTransient => Status == 0 || Status == 429 || Status == 502 || Status == 503 || Status == 504;
    }
}
