class CommentsController < ApplicationController
  def create
    project = current_user.projects.find(params[:project_id])
    project.comments.create!(body: params.require(:comment)[:body], user: current_user)
    redirect_to project
  end

  def destroy
    comment = current_user.comments.find(params[:id])
    comment.destroy
    redirect_back fallback_location: root_path
  end
end
