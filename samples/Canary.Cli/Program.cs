using Canary.Cli;

return await CanaryCli.RunAsync(args, Console.Out, Console.Error);
