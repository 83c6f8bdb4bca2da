// An empty program: the startup benchmark times `deno run` of it inside the repository.
