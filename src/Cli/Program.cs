Console.WriteLine("scratch");
