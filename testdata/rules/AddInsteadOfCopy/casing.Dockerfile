from alpine:3.22 as build
# want +1 "add main.go /src/ \\(line 3\\)"
add main.go /src/
From alpine:3.22
# want +1 "Add docs/ /docs/ \\(line 6\\)"
Add --exclude=*.md docs/ /docs/
Copy --from=build /src/main.go /main.go
