using BenchmarkDotNet.Running;
using OfflineSync.Benchmarks.Server;

// Not BenchmarkDotNet: the bounded load run of the server (docs/benchmarks.md, "Server").
//   dotnet run -c Release --project benchmarks/OfflineSync.Benchmarks -- server-load
if (args is ["server-load", ..])
{
    return await ServerLoad.RunAsync(args[1..]);
}

// Not BenchmarkDotNet: reconnect after missed changes, list against resume (docs/benchmarks.md, "Reconnect").
//   dotnet run -c Release --project benchmarks/OfflineSync.Benchmarks -- reconnect   # --rows 100000 --missed 10 --runs 5
if (args is ["reconnect", ..])
{
    return await ReconnectBenchmark.RunAsync(args[1..]);
}

// Not BenchmarkDotNet: what one request may cost the server (docs/benchmarks.md, "What one request costs"):
//   dotnet run -c Release --project benchmarks/OfflineSync.Benchmarks -- request-cost [--postgres CONN]
if (args is ["request-cost", ..])
{
    return await RequestCostBenchmark.RunAsync(args[1..]);
}

// One server instance on PostgreSQL (docs/benchmarks.md, "PostgreSQL"):
//   dotnet run -c Release --project benchmarks/OfflineSync.Benchmarks -- postgres [--postgres CONN]
if (args is ["postgres", ..])
{
    return await PostgresBench.RunAsync(args[1..]);
}

// Run all: dotnet run -c Release --project benchmarks/OfflineSync.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
