#!/usr/bin/env python3
"""Where the call-heavy benchmark's recorded (AllDataAndRecorded) time goes, from a `perf script` dump.

Each CPU sample inside CallHeavy's RenderAll is put in one bucket by the managed frames on its stack: inside recording
(JsonValueWriter, CappedJsonBuilder, the recorders, TraceScope.Arg/CommitArgs) it is an exception (throw, unwind,
stack trace), a span of a traced method that the serializer itself called, System.Text.Json, or the rest of recording;
outside recording it is the span's start, its stop, other woven glue, or Markdig itself. Usage (docs/benchmarks.md, 9):

  cd benchmarks/Mirascope.Ops.Benchmarks/bin/Release/net10.0
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 499 -g -o /tmp/perf.data \
      dotnet Mirascope.Ops.Benchmarks.dll --profile-call-heavy 6 AllData
  perf script -i /tmp/perf.data -F comm,tid,period,ip,sym,dso > /tmp/perf.txt
  python3 ../../../../call-heavy-perf-buckets.py /tmp/perf.txt
"""
import collections
import re
import sys

RECORDING = ('JsonValueWriter', 'OutputRecorder', 'ArgumentRecorder', 'CappedJsonBuilder', 'TraceScope::Arg', 'CommitArgs')
EXCEPTIONS = ('DispatchEx', 'RhThrowEx', 'IL_Throw', 'ThrowHelper', 'Exception::.ctor', 'StackFrameIterator',
              'ExceptionServices', 'System.Runtime.EH::')


def samples(path):
    frames = None
    for line in open(path, errors='replace'):
        if not line.strip():
            if frames is not None:
                yield frames
            frames = None
        elif not line[0].isspace():
            frames = []
        elif frames is not None:
            parts = line.strip().split(' ', 1)
            if len(parts) == 2:
                match = re.match(r'(.*) \(([^)]*)\)$', parts[1])
                frames.append(match.group(1) if match else parts[1])
    if frames is not None:
        yield frames


def any_in(frames, keys):
    return any(key in frame for frame in frames for key in keys)


def bucket(frames):
    outermost = next((i for i in range(len(frames) - 1, -1, -1) if any(k in frames[i] for k in RECORDING)), -1)
    if outermost < 0:
        if any_in(frames, ('Activity::Create', 'Activity::Start', 'StartListened', 'ActivitySource')):
            return 'span start (Activity create/start, sampling)'
        if any_in(frames, ('Activity::Stop', 'TraceScope::Stop')):
            return 'span stop'
        if any_in(frames, ('Mirascope.Ops',)):
            return 'other woven glue'
        return 'Markdig itself (and the runtime under it)'
    inner = frames[:outermost]
    if any_in(inner, EXCEPTIONS):
        return 'recording: exceptions (throw, unwind, stack trace)'
    if any(('TracedMethod' in f and 'Start' in f) or 'Activity::Create' in f or 'Activity::Stop' in f for f in inner):
        return 'recording: spans of traced methods the serializer calls'
    if any_in(inner, ('System.Text.Json',)):
        return 'recording: System.Text.Json serialization (no exception)'
    return 'recording: capped builder, primitives, strings, tags'


def main(path):
    counts = collections.Counter()
    for frames in samples(path):
        if any('RenderAll' in f for f in frames):
            counts[bucket(frames)] += 1
    total = sum(counts.values())
    if total == 0:
        sys.exit('no sample inside RenderAll: were DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 set?')
    print(f'{total} samples inside RenderAll')
    for name, count in counts.most_common():
        print(f'{count * 100 / total:6.1f}%  {name}')


if __name__ == '__main__':
    main(sys.argv[1])
