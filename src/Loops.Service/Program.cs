using Loops.Service.Hosting;

await using var loops = await LoopsApplication.BuildAsync(args);
await loops.App.RunAsync();
